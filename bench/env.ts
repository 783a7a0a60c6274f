/** A variable that `scripts/bench.js` sets; missing means the bench was not started through its npm script. */
export function need(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the benchmark through its npm script (npm run bench:<name>)`);
  return value;
}
