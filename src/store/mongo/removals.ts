import { cancellableStates } from '../../core/delivery-state.js';
import type { Delivery, DeliveryState } from '../../core/post.js';
import type { DeliveryWrites } from './delivery-writes.js';
import { byDue, toDelivery } from './mapping.js';
import type { Models } from './schemas.js';

/** States that keep an account from being removed. */
const waiting: DeliveryState[] = ['scheduled', 'queued', 'publishing', 'unknown'];

/**
 * Taking things down on MongoDB: a delivery whose posts were deleted from the platform, an
 * account removed (after its waiting deliveries were cancelled). Each delivery change is the
 * same conditional update as every other one (delivery-writes.ts `cas`).
 */
export class MongoRemovals {
  constructor(
    private readonly models: Pick<Models, 'accounts' | 'deliveries'>,
    private readonly writes: DeliveryWrites,
  ) {}

  async waitingDeliveriesOf(accountId: string): Promise<Delivery[]> {
    const docs = await this.models.deliveries.find({ accountId, state: { $in: waiting } }).lean();
    return docs.map(toDelivery).sort(byDue);
  }

  async cancelDeliveriesOf(accountId: string, at: number): Promise<number> {
    const docs = await this.models.deliveries.find({ accountId, state: { $in: [...cancellableStates] } }).lean();
    return this.writes.cancel(docs, at);
  }

  async removeAccount(id: string): Promise<boolean> {
    const result = await this.models.accounts.deleteOne({ _id: id });
    return result.deletedCount === 1;
  }

  async markDeliveryDeleted(id: string, at: number): Promise<boolean> {
    const doc = await this.writes.cas(
      id,
      { state: { $in: ['published', 'failed'] } },
      { $set: { state: 'deleted', updatedAt: new Date(at) } },
    );
    return doc !== null;
  }
}
