// Aurora DB instance classes from the vendored Aurora User Guide page (inventory/amazon-aurora-user-guide/
// Concepts.DBInstanceClass.md, section "Hardware specifications for DB instance classes for Aurora").

const unescape = (s) => s.replace(/\\/g, '').trim();

/** db.t* and db.r* rows: name, vCPU, memory (GiB in the page, MiB here); Graviton classes ("g") are arm64. */
export function dbClassRows(md) {
  const start = md.indexOf('## Hardware specifications for DB instance classes for Aurora');
  if (start < 0) throw new Error('hardware specification section not found');
  const rows = [];
  for (const line of md.slice(start).split('\n')) {
    const cells = line.split('|').slice(1, -1).map(unescape);
    if (cells.length < 4 || !/^db\.[tr]\d/.test(cells[0] ?? '')) continue;
    const name = cells[0].replace(/\*+$/, '');
    if (!/^db\.[a-z0-9-]+\.[a-z0-9]+$/.test(name)) continue;
    const vcpu = Number(cells[1]);
    const memoryGiB = Number(cells[3].replace(/,/g, ''));
    if (!Number.isFinite(vcpu) || !Number.isFinite(memoryGiB)) throw new Error(`unparsed row ${line}`);
    const family = name.split('.')[1];
    rows.push({ name, vcpu, memoryMiB: Math.round(memoryGiB * 1024), architecture: /^[a-z]+\d+g/.test(family) ? 'arm64' : 'amd64' });
  }
  return rows.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** "Each ACU is a combination of approximately 2 gibibytes (GiB) of memory" (aurora-serverless-v2.how-it-works.md). */
export function serverlessGiBPerAcu(md) {
  const m = /Each ACU is a combination of approximately (\d+) gibibytes/.exec(md);
  if (!m) throw new Error('ACU sentence not found');
  return Number(m[1]);
}
