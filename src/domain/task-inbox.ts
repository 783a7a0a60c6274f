import { addDays, todayIn } from './dates';

/** Calendar rules of the task inbox. Days are YYYY-MM-DD in the company's time zone. */

export const TASK_DUE_FILTERS = ['overdue', 'today', 'week'] as const;
export type TaskDueFilter = (typeof TASK_DUE_FILTERS)[number];

export const TASK_SORTS = ['dueDate', '-dueDate', 'createdAt', '-createdAt'] as const;
export type TaskSort = (typeof TASK_SORTS)[number];

/** The due days a filter lets through on `today` (bounds included; a missing bound is open); overdue tasks are open ones. */
export interface DueWindow {
  from: string | null;
  to: string;
  openOnly: boolean;
}

export function dueWindow(due: TaskDueFilter, today: string): DueWindow {
  switch (due) {
    case 'overdue':
      return { from: null, to: addDays(today, -1), openOnly: true };
    case 'today':
      return { from: today, to: today, openOnly: false };
    case 'week':
      return { from: today, to: addDays(today, 6), openOnly: false };
  }
}

/**
 * The day a task is due: its own dueDate, else the day its dueAt instant falls on in the company's zone (tasks that
 * only have a dueAt, such as approval tasks with their deadline, sort and filter among the others), else none.
 */
export function taskDueDate(task: { dueDate: string | null; dueAt: Date | null }, timezone: string): string | null {
  if (task.dueDate) return task.dueDate;
  return task.dueAt ? todayIn(timezone, task.dueAt) : null;
}
