import { type Delivery, deliveryStates } from '../../core/post.js';
import { toDelivery } from './mapping.js';
import type { Models } from './schemas.js';

/** Reads of deliveries on the Mongo store's connection: one by id, the next due time, counts by state. */
export class MongoDeliveryReads {
  constructor(private readonly models: Pick<Models, 'deliveries'>) {}

  async getDelivery(id: string): Promise<Delivery | null> {
    const doc = await this.models.deliveries.findById(id).lean();
    return doc ? toDelivery(doc) : null;
  }

  async nextDueAt(): Promise<number | null> {
    const doc = await this.models.deliveries.findOne({ state: 'scheduled' }).sort({ dueAt: 1 }).lean();
    return doc ? doc.dueAt.getTime() : null;
  }

  async countDeliveries(): Promise<Record<string, number>> {
    const rows = await this.models.deliveries.aggregate<{ _id: string; n: number }>([
      { $group: { _id: '$state', n: { $sum: 1 } } },
    ]);
    const counts: Record<string, number> = Object.fromEntries(deliveryStates.map((s) => [s, 0]));
    for (const row of rows) counts[row._id] = row.n;
    return counts;
  }
}
