import { GuessLimiter } from './guess-limiter';

describe(GuessLimiter.name, () => {
  it('blocks an address after max failures within the window, and lets it in again once they age out', () => {
    let now = 0;
    const limiter = new GuessLimiter(3, 1000, () => now);
    for (let i = 0; i < 3; i += 1) {
      expect(limiter.blocked('1.2.3.4')).toBe(false);
      limiter.fail('1.2.3.4');
    }
    expect(limiter.blocked('1.2.3.4')).toBe(true);
    expect(limiter.blocked('5.6.7.8')).toBe(false);
    now = 1001;
    expect(limiter.blocked('1.2.3.4')).toBe(false);
  });
});
