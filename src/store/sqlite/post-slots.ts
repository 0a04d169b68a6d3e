import type Database from 'better-sqlite3';

/** Delivery states that let go of a post's time: such a post no longer holds a slot. */
const released = "('cancelled', 'failed', 'deleted')";

/**
 * `heldTimes` on SQLite: each `scheduled_at` in the range of a post with a delivery still live
 * (by the posts_workspace_scheduled index).
 */
export function heldTimes(
  sql: (source: string) => Database.Statement,
  workspaceId: string,
  range: { from: number; to: number },
): number[] {
  const rows = sql(
    `SELECT DISTINCT p.scheduled_at AS at FROM posts p
     WHERE p.workspace_id = ? AND p.scheduled_at BETWEEN ? AND ?
       AND EXISTS (SELECT 1 FROM deliveries d WHERE d.post_id = p.id AND d.state NOT IN ${released})
     ORDER BY p.scheduled_at`,
  ).all(workspaceId, range.from, range.to) as { at: number }[];
  return rows.map((r) => r.at);
}

/**
 * Whether a post of the workspace holds `at`. Called inside createPost's IMMEDIATE transaction:
 * the write lock is taken before this read, so no other connection (of this process or another
 * on the same file) can store a post at that time between the check and the insert.
 */
export function isHeld(sql: (source: string) => Database.Statement, workspaceId: string, at: number): boolean {
  return heldTimes(sql, workspaceId, { from: at, to: at }).length > 0;
}
