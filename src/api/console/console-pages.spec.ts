import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { IndexPage } from './console-pages';

describe(IndexPage.name, () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'relance-index-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('answers nothing while the console is not built', () => {
    expect(new IndexPage(path.join(dir, 'index.html')).body()).toBeUndefined();
  });

  it('keeps the page, and reads it again when a build replaces it', () => {
    const file = path.join(dir, 'index.html');
    writeFileSync(file, '<p>one</p>');
    utimesSync(file, 1_000, 1_000);
    const page = new IndexPage(file);
    expect(page.body()?.toString()).toBe('<p>one</p>');

    // Same modification time: the kept copy, not the disk (which a build would not leave so).
    writeFileSync(file, '<p>two</p>');
    utimesSync(file, 1_000, 1_000);
    expect(page.body()?.toString()).toBe('<p>one</p>');

    utimesSync(file, 2_000, 2_000);
    expect(page.body()?.toString()).toBe('<p>two</p>');
  });
});
