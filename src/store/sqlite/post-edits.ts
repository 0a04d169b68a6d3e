import type Database from 'better-sqlite3';
import { editableStates } from '../../core/delivery-state.js';
import type { EditPostResult, PostEdit } from '../ports/post-store.js';
import { type DeliveryRow, fromDelivery, fromPost, insertSql, json, toDelivery } from './rows.js';

const editable = editableStates.map((s) => `'${s}'`).join(', ');

/**
 * `editPost` on SQLite: the check and every write in one IMMEDIATE transaction, so a worker (in
 * this process or another on the same file) either claimed a delivery before it, and the edit
 * writes nothing, or claims it after, and publishes the edited post.
 */
export function editPost(
  db: Database.Database,
  sql: (source: string) => Database.Statement,
  edit: PostEdit,
): EditPostResult {
  return db
    .transaction((): EditPostResult => {
      const ids = [...edit.keep.map((k) => k.id), ...edit.cancel];
      const rows = sql('SELECT * FROM deliveries WHERE post_id = ? AND id IN (SELECT value FROM json_each(?))').all(
        edit.post.id,
        JSON.stringify(ids),
      ) as DeliveryRow[];
      const started = rows.map(toDelivery).filter((d) => !editableStates.includes(d.state));
      if (started.length > 0 || rows.length !== ids.length) return { edited: false, started };
      const { id: _id, ...post } = fromPost(edit.post);
      const columns = Object.keys(post);
      sql(`UPDATE posts SET ${columns.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`).run({
        ...post,
        id: edit.post.id,
      });
      for (const k of edit.keep) {
        sql(
          `UPDATE deliveries SET state = 'scheduled', due_at = @dueAt, parts = @parts, updated_at = @at
           WHERE id = @id AND state IN (${editable})`,
        ).run({ id: k.id, dueAt: edit.dueAt, parts: json(k.parts), at: edit.at });
      }
      for (const id of edit.cancel) {
        sql(`UPDATE deliveries SET state = 'cancelled', updated_at = ? WHERE id = ? AND state IN (${editable})`).run(
          edit.at,
          id,
        );
      }
      for (const d of edit.add) {
        const row = fromDelivery(d);
        sql(insertSql('deliveries', Object.keys(row))).run(row);
      }
      const after = sql('SELECT * FROM deliveries WHERE post_id = ? ORDER BY rowid').all(edit.post.id) as DeliveryRow[];
      return { edited: true, value: { post: edit.post, deliveries: after.map(toDelivery) } };
    })
    .immediate();
}
