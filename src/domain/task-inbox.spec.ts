import { dueWindow, taskDueDate } from './task-inbox';

describe(dueWindow.name, () => {
  it('takes overdue as the open tasks due before today', () => {
    expect(dueWindow('overdue', '2026-12-07')).toEqual({ from: null, to: '2026-12-06', openOnly: true });
  });

  it('takes today as today only, and a week as today and the six days after it', () => {
    expect(dueWindow('today', '2026-12-07')).toEqual({ from: '2026-12-07', to: '2026-12-07', openOnly: false });
    expect(dueWindow('week', '2026-12-28')).toEqual({ from: '2026-12-28', to: '2027-01-03', openOnly: false });
  });

  it('crosses a leap day', () => {
    expect(dueWindow('week', '2028-02-25').to).toBe('2028-03-02');
    expect(dueWindow('overdue', '2028-03-01').to).toBe('2028-02-29');
  });
});

describe(taskDueDate.name, () => {
  it('prefers the task\'s own day to its instant', () => {
    expect(taskDueDate({ dueDate: '2026-12-20', dueAt: new Date('2026-12-25T12:00:00Z') }, 'UTC')).toBe('2026-12-20');
  });

  it('takes the day the instant falls on in the company\'s zone', () => {
    const lateEvening = new Date('2026-12-10T03:00:00Z');
    expect(taskDueDate({ dueDate: null, dueAt: lateEvening }, 'America/Toronto')).toBe('2026-12-09');
    expect(taskDueDate({ dueDate: null, dueAt: lateEvening }, 'Europe/Paris')).toBe('2026-12-10');
    expect(taskDueDate({ dueDate: null, dueAt: new Date('2026-12-10T11:00:00Z') }, 'Pacific/Kiritimati')).toBe('2026-12-11');
  });

  it('has none without either', () => {
    expect(taskDueDate({ dueDate: null, dueAt: null }, 'UTC')).toBeNull();
  });
});
