import { ApproverGroup, type UserStatus } from './entities';
import { type Db, findOfCompany, managerOf } from './owned';
import { type Page, type PageRequest, paginate } from './pagination';

/** A group with its members' ids, first added first (those added at once by id). */
export interface ApproverGroupWithMembers extends ApproverGroup {
  memberIds: string[];
}

/** The steps of a pending approval not yet decided: the pending one and those after it (`current_step` counts from 0). */
const UNDECIDED_STEPS = `jsonb_array_elements(a.steps) WITH ORDINALITY AS s(step, n)`;

/** Approver groups of a company and their members. `db` may be a transaction's manager. */
export class ApproverGroupsRepository {
  constructor(private readonly db: Db) {}

  private get m() {
    return managerOf(this.db);
  }

  /** A page of the company's groups in creation order, with their members. */
  async findPage(companyId: string, page: PageRequest): Promise<Page<ApproverGroupWithMembers>> {
    const qb = this.m.getRepository(ApproverGroup).createQueryBuilder('g').where('g.company_id = :c', { c: companyId });
    const found = await paginate(qb, page, (g) => g);
    const members = await this.findMemberIds(found.data.map((g) => g.id));
    return { data: found.data.map((g) => Object.assign(g, { memberIds: members.get(g.id) ?? [] })), nextCursor: found.nextCursor };
  }

  /** The company's group (null for another company's, as for a missing one); `lock` holds it until the transaction ends. */
  async findOwned(companyId: string, id: string, options: { lock?: boolean } = {}): Promise<ApproverGroupWithMembers | null> {
    const group = await findOfCompany(this.m, ApproverGroup, companyId, id, options);
    if (!group) return null;
    return Object.assign(group, { memberIds: (await this.findMemberIds([group.id])).get(group.id) ?? [] });
  }

  /** Each group's member ids, first added first (those added at once by id). */
  async findMemberIds(groupIds: string[]): Promise<Map<string, string[]>> {
    const members = new Map<string, string[]>();
    if (groupIds.length === 0) return members;
    const rows = await this.m.query(
      'SELECT group_id AS "groupId", user_id AS "userId" FROM approver_group_members WHERE group_id = ANY($1::uuid[]) ORDER BY added_at, user_id',
      [groupIds]) as { groupId: string; userId: string }[];
    for (const r of rows) members.set(r.groupId, [...(members.get(r.groupId) ?? []), r.userId]);
    return members;
  }

  /** Whether another group of the company (than `exceptId`) has this name, case aside. */
  async nameTaken(companyId: string, name: string, exceptId?: string): Promise<boolean> {
    const rows = await this.m.query(
      'SELECT 1 FROM approver_groups WHERE company_id = $1 AND lower(name) = lower($2) AND id IS DISTINCT FROM $3::uuid LIMIT 1',
      [companyId, name, exceptId ?? null]) as unknown[];
    return rows.length > 0;
  }

  /** The status of each of `ids` that is a user of the company. */
  async findUserStatuses(companyId: string, ids: string[]): Promise<Map<string, UserStatus>> {
    if (ids.length === 0) return new Map();
    const rows = await this.m.query(
      'SELECT id, status FROM users WHERE company_id = $1 AND id = ANY($2::uuid[])', [companyId, ids]) as { id: string; status: UserStatus }[];
    return new Map(rows.map((r) => [r.id, r.status]));
  }

  /**
   * Which of `ids` are groups of the company, each held (FOR SHARE) until the transaction ends: a definition saved
   * naming a group, and the group's deletion (which checks the active definitions naming it), never both commit.
   */
  async findIdsAmong(companyId: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.m.query(
      'SELECT id FROM approver_groups WHERE company_id = $1 AND id = ANY($2::uuid[]) FOR SHARE', [companyId, ids]) as { id: string }[];
    return new Set(rows.map((r) => r.id));
  }

  async insert(fields: Pick<ApproverGroup, 'companyId' | 'name' | 'createdBy'>): Promise<ApproverGroup> {
    return this.m.save(this.m.create(ApproverGroup, fields));
  }

  async rename(id: string, name: string): Promise<void> {
    await this.m.update(ApproverGroup, { id }, { name });
  }

  /** The group's members become exactly `userIds`; those added and removed. */
  async replaceMembers(companyId: string, groupId: string, userIds: string[]): Promise<{ added: string[]; removed: string[] }> {
    const [removedRows] = await this.m.query(
      'DELETE FROM approver_group_members WHERE group_id = $1 AND NOT (user_id = ANY($2::uuid[])) RETURNING user_id AS "userId"',
      [groupId, userIds]) as [{ userId: string }[], number];
    const added = await this.m.query(
      `INSERT INTO approver_group_members (group_id, user_id, company_id)
       SELECT $1, u, $2 FROM unnest($3::uuid[]) WITH ORDINALITY AS t(u, n) ORDER BY n
       ON CONFLICT (group_id, user_id) DO NOTHING RETURNING user_id AS "userId"`,
      [groupId, companyId, userIds]) as { userId: string }[];
    if (added.length > 0 || removedRows.length > 0) await this.m.query('UPDATE approver_groups SET updated_at = date_trunc(\'milliseconds\', now()) WHERE id = $1', [groupId]);
    return { added: added.map((r) => r.userId), removed: removedRows.map((r) => r.userId) };
  }

  async delete(id: string): Promise<void> {
    await this.m.delete(ApproverGroup, { id });
  }

  /** How many of the company's open tasks wait in the group (their candidate group). */
  async countOpenTasksOfCandidateGroup(companyId: string, groupId: string): Promise<number> {
    const [row] = await this.m.query(
      `SELECT count(*)::int AS n FROM tasks WHERE company_id = $1 AND candidate_group_id = $2 AND status = 'open'`, [companyId, groupId]) as { n: number }[];
    return row.n;
  }

  /** The company's active workflow definitions whose actions, or collection steps' tasks, name the group. */
  findActiveDefinitionsNaming(companyId: string, groupId: string): Promise<{ id: string; name: string }[]> {
    return this.m.query(
      `SELECT id, name FROM workflow_definitions
        WHERE company_id = $1 AND status = 'active'
          AND (jsonb_path_exists(actions, '$.** ? (@ == $id)', jsonb_build_object('id', $2::text))
            OR jsonb_path_exists(COALESCE(sequence, 'null'), '$.steps[*].task.candidateGroupId ? (@ == $id)', jsonb_build_object('id', $2::text)))
        ORDER BY created_at, id`, [companyId, groupId]);
  }

  /** The workflow ids of the company's pending approvals whose undecided steps name the group. */
  async findPendingApprovalRunsNamingGroup(companyId: string, groupId: string): Promise<string[]> {
    const rows = await this.m.query(
      `SELECT a.workflow_id AS "workflowId" FROM approvals a
        WHERE a.company_id = $1 AND a.status = 'pending' AND EXISTS (
          SELECT 1 FROM ${UNDECIDED_STEPS} WHERE s.n > a.current_step AND s.step->'groupIds' ? $2)
        ORDER BY a.created_at, a.id`, [companyId, groupId]) as { workflowId: string }[];
    return rows.map((r) => r.workflowId);
  }

  /**
   * The workflow ids of the company's pending approvals where the user may hold a seat that is not named: an undecided
   * step naming a group the user is a member of (`limitOnly`: such a step that routes by limit), or routing by limit
   * among named approvers that include the user.
   */
  async findPendingApprovalRunsSeating(companyId: string, userId: string, options: { limitOnly: boolean }): Promise<string[]> {
    const rows = await this.m.query(
      `SELECT a.workflow_id AS "workflowId" FROM approvals a
        WHERE a.company_id = $1 AND a.status = 'pending' AND EXISTS (
          SELECT 1 FROM ${UNDECIDED_STEPS}
           WHERE s.n > a.current_step AND (
             (s.step->>'routing' = 'limit' AND s.step->'approverIds' ? $2::text)
             OR ((NOT $3 OR s.step->>'routing' = 'limit') AND EXISTS (
               SELECT 1 FROM approver_group_members gm
                WHERE gm.company_id = $1 AND gm.user_id = $2::uuid AND s.step->'groupIds' ? gm.group_id::text))))
        ORDER BY a.created_at, a.id`, [companyId, userId, options.limitOnly]) as { workflowId: string }[];
    return rows.map((r) => r.workflowId);
  }
}
