// `jobtrack taxonomy`: importing O*NET, ESCO and Stack Overflow lists (the
// project's own small fixtures) into DATA_DIR/taxonomy/, `stats` by source,
// wrong formats refused with the line, and `scan` and `serve` loading the
// extension on top of the built-in taxonomy when they start.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { binary } from '../lib/server.mjs';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'taxonomy_import');
const dataDir = mkdtempSync(join(tmpdir(), 'jt-taxonomy-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

function run(args) {
  return new Promise((resolve) => {
    execFile(binary, args, { timeout: 30000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

test('help names the importers and the folder', async () => {
  const r = await run(['taxonomy', '--help']);
  assert.equal(r.code, 0);
  for (const word of ['--onet', '--esco', '--stackoverflow', 'DATA_DIR/taxonomy', 'stats']) {
    assert.ok(r.stdout.includes(word), word);
  }
  const none = await run(['taxonomy']);
  assert.equal(none.code, 2);
  const bad = await run(['taxonomy', 'frobnicate']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown taxonomy command "frobnicate"/);
});

test('a file of the wrong format is refused with its line', async () => {
  const r = await run(['taxonomy', 'import', '--onet', join(fixtures, 'esco.csv'), '--data-dir', dataDir]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /esco\.csv: line 1: a comma-separated line/);
  const count = await run(['taxonomy', 'import', '--stackoverflow', join(fixtures, 'so_bad_count.csv'),
    '--data-dir', dataDir]);
  assert.equal(count.code, 2);
  assert.match(count.stderr, /line 2: Count "many" is not a whole number/);
  assert.equal(existsSync(join(dataDir, 'taxonomy')), false, 'nothing written');
});

test('imports write the extension; stats counts it by source', async () => {
  const dry = await run(['taxonomy', 'import', '--onet', join(fixtures, 'onet.txt'), '--dry-run',
    '--data-dir', dataDir]);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /would import as onet: 2 new skills/);
  assert.equal(existsSync(join(dataDir, 'taxonomy', 'onet.tsv')), false);

  const onet = await run(['taxonomy', 'import', '--onet', join(fixtures, 'onet.txt'), '--data-dir', dataDir]);
  assert.equal(onet.code, 0, onet.stderr);
  assert.match(onet.stdout, /onet: 2 new skills/);
  const file = readFileSync(join(dataDir, 'taxonomy', 'onet.tsv'), 'utf8');
  assert.match(file, /^# jobtrack taxonomy extension "onet"/);
  assert.match(file, /O\*NET Database/); // the attribution the licence asks for
  assert.match(file, /^onet\.frobnicator\tFrobnicator\ttool\tsoftware\t=Frobnicator$/m);

  const esco = await run(['taxonomy', 'import', '--esco', join(fixtures, 'esco.csv'), '--name', 'esco-mine',
    '--data-dir', dataDir]);
  assert.equal(esco.code, 0, esco.stderr);
  const so = await run(['taxonomy', 'import', '--stackoverflow', join(fixtures, 'stackoverflow.csv'),
    '--data-dir', dataDir]);
  assert.equal(so.code, 0, so.stderr);

  const stats = await run(['taxonomy', 'stats', '--json', '--data-dir', dataDir]);
  assert.equal(stats.code, 0, stats.stderr);
  const s = JSON.parse(stats.stdout);
  assert.deepEqual(s.sources.map((x) => x.name), ['esco-mine', 'onet', 'stackoverflow']);
  assert.equal(s.sources.find((x) => x.name === 'onet').skills_added, 2);
  assert.ok(s.skills > s.builtin.skills);
  assert.match(s.version, /^[0-9a-f]{16}$/);
  const text = await run(['taxonomy', 'stats', '--data-dir', dataDir]);
  assert.match(text.stdout, /onet +2 new skills/);
});

test('scan and serve load the extension at start', async () => {
  const resume = join(dataDir, 'resume.txt');
  const job = join(dataDir, 'job.txt');
  writeFileSync(resume, 'Jane Doe\nExperience\nBuilt reports in Frobnicator and Zylotrax Ledger Pro.\n');
  writeFileSync(job, 'Accountant\nRequirements\n- Frobnicator\n- Zylotrax Ledger Pro\n');
  const r = await run(['scan', resume, '--job', job, '--json', '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.stderr);
  const names = JSON.parse(r.stdout).matched.map((m) => m.name || m.term);
  assert.ok(names.includes('Frobnicator'), JSON.stringify(names));
  assert.ok(names.includes('Zylotrax Ledger Pro'), JSON.stringify(names));
  // Without the extension the same files match neither.
  const other = mkdtempSync(join(tmpdir(), 'jt-taxonomy-none-'));
  const plain = await run(['scan', resume, '--job', job, '--json', '--data-dir', other]);
  rmSync(other, { recursive: true, force: true });
  const plainNames = JSON.parse(plain.stdout).matched.map((m) => m.name || m.term);
  assert.ok(!plainNames.includes('Frobnicator'));
  // The result names the taxonomy that scored it: the extension changes the version.
  const stats = JSON.parse((await run(['taxonomy', 'stats', '--json', '--data-dir', dataDir])).stdout);
  assert.equal(JSON.parse(r.stdout).taxonomy_version, stats.version);
  assert.match(JSON.parse(plain.stdout).taxonomy_version, /^[0-9a-f]{16}$/);
  assert.notEqual(JSON.parse(plain.stdout).taxonomy_version, stats.version);

  // --check-taxonomy checks the extension too: what each file adds, its version.
  const check = await run(['scan', '--check-taxonomy', '--data-dir', dataDir]);
  assert.equal(check.code, 0, check.stderr);
  assert.match(check.stdout, /\+ the extension in /);
  assert.match(check.stdout, new RegExp(`^version ${stats.version}$`, 'm'));
  assert.match(check.stdout, /extension .*onet\.tsv: 2 skills added/);

  // A broken extension stops serve at once, naming the file and line.
  writeFileSync(join(dataDir, 'taxonomy', 'zz-broken.tsv'), 'x\tX\thard\n');
  const child = spawn(binary, ['serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir]);
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(code, 2);
  assert.match(err, /zz-broken\.tsv:1: 3 columns, expected 5/);
  const bad = await run(['scan', '--check-taxonomy', '--data-dir', dataDir]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /zz-broken\.tsv:1: 3 columns, expected 5/);
  const help = await run(['serve', '--help']);
  assert.match(help.stdout, /DATA_DIR\/taxonomy\//);
  assert.match(help.stdout, /--check-taxonomy/);
  rmSync(join(dataDir, 'taxonomy', 'zz-broken.tsv'));
});
