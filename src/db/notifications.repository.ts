import type { DataSource } from 'typeorm';

/** The in-app notification inbox. */
export class NotificationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Marking twice keeps the first reading time. */
  async markRead(companyId: string, userId: string, id: string): Promise<void> {
    await this.dataSource.query(
      'UPDATE notifications SET read_at = now() WHERE id = $1 AND user_id = $2 AND company_id = $3 AND read_at IS NULL',
      [id, userId, companyId],
    );
  }
}
