import type { Account, AccountHealth } from '../../core/post.js';
import type { DeliveryWrites } from './delivery-writes.js';
import { fromAccount, toAccount } from './mapping.js';
import type { DeliveryDoc, Models } from './schemas.js';

/** Accounts on the Mongo store's connection: each change one (conditional) update. */
export class MongoAccounts {
  constructor(
    private readonly models: Pick<Models, 'accounts' | 'deliveries'>,
    private readonly writes: DeliveryWrites,
  ) {}

  async createAccount(account: Account): Promise<void> {
    await this.models.accounts.insertMany([fromAccount(account)]);
  }

  async getAccount(id: string): Promise<Account | null> {
    const doc = await this.models.accounts.findById(id).lean();
    return doc ? toAccount(doc) : null;
  }

  async listAccounts(workspaceId: string): Promise<Account[]> {
    const docs = await this.models.accounts.find({ workspaceId }).sort({ createdAt: 1, _id: 1 }).lean();
    return docs.map(toAccount);
  }

  async updateAccountCredentials(id: string, credentials: string, at: number, ifCurrent?: string): Promise<void> {
    // One conditional update: with `ifCurrent`, only a caller that saw the current value writes.
    const filter = ifCurrent === undefined ? { _id: id } : { _id: id, credentials: ifCurrent };
    await this.models.accounts.updateOne(filter, { $set: { credentials, updatedAt: new Date(at) } });
  }

  async setAccountHealth(id: string, health: AccountHealth, reason: string | undefined, at: number): Promise<void> {
    const set = { health, updatedAt: new Date(at), ...(reason === undefined ? {} : { healthReason: reason }) };
    const update = reason === undefined ? { $set: set, $unset: { healthReason: 1 } } : { $set: set };
    await this.models.accounts.updateOne({ _id: id }, update);
  }

  async markAccountUnhealthy(
    id: string,
    health: Exclude<AccountHealth, 'active'>,
    reason: string,
    at: number,
  ): Promise<boolean> {
    // One conditional update: of callers racing on an active account, one wins.
    const before = await this.models.accounts.findOneAndUpdate(
      { _id: id, health: 'active' },
      { $set: { health, healthReason: reason, updatedAt: new Date(at) } },
    );
    return before !== null;
  }

  async wakeWaitingDeliveries(accountId: string, now: number): Promise<number> {
    const docs = await this.models.deliveries
      .find({ accountId, state: 'scheduled', 'lastError.kind': 'auth' })
      .lean<DeliveryDoc[]>();
    return this.writes.bringForward(docs, now);
  }
}
