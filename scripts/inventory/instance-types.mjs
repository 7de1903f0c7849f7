// Extracts the EC2 instance-type facts innovate uses from the vendored upstream files in inventory/
// (see inventory/SOURCES.md). Pure functions over file text; generate.mjs writes the TS modules.

/** Karpenter's generated reference page (hack/docs/instancetypes_gen): labels and allocatable per type. */
export function parseKarpenterInstanceTypesMd(text) {
  const types = new Map();
  let current;
  let table;
  for (const line of text.split('\n')) {
    const head = /^### `([^`]+)`/.exec(line);
    if (head) {
      current = { name: head[1], labels: {}, resources: {} };
      types.set(current.name, current);
      table = undefined;
      continue;
    }
    if (!current) continue;
    if (line.startsWith('#### Labels')) table = 'labels';
    else if (line.startsWith('#### Resources')) table = 'resources';
    else if (line.startsWith('## ')) (current = undefined), (table = undefined);
    else if (table) {
      const m = /^\s*\|([^|]+)\|([^|]*)\|\s*$/.exec(line);
      if (m && m[1] !== '--' && m[1] !== ' Label ' && m[1] !== ' Resource ') current[table][m[1].trim()] = m[2].trim();
    }
  }
  return types;
}

/** Karpenter's zz_generated.vpclimits.go: ENIs, IPv4 per ENI, branch ENIs, hypervisor, bare metal. */
export function parseVpcLimitsGo(text) {
  const limits = new Map();
  const re = /^\t"([^"]+)": \{\n([\s\S]*?)^\t\},?$/gm;
  for (const m of text.matchAll(re)) {
    const body = m[2];
    const num = (k) => Number(new RegExp(`^\\t\\t${k}:\\s+(\\d+),`, 'm').exec(body)?.[1]);
    const str = (k) => new RegExp(`^\\t\\t${k}:\\s+("[^"]*"|true|false),`, 'm').exec(body)?.[1];
    limits.set(m[1], {
      enis: num('Interface'),
      ipv4PerEni: num('IPv4PerInterface'),
      branchEnis: num('BranchInterface'),
      trunking: str('IsTrunkingCompatible') === 'true',
      hypervisor: JSON.parse(str('Hypervisor') ?? '""'),
      bareMetal: str('IsBareMetal') === 'true',
    });
  }
  return limits;
}

/** The EKS eni-max-pods.txt ("<type> <max pods>" per line, # comments). */
export function parseEniMaxPods(text) {
  const out = new Map();
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [name, pods] = line.trim().split(/\s+/);
    out.set(name, Number(pods));
  }
  return out;
}

const cpuMilli = (q) => (q.endsWith('m') ? Number(q.slice(0, -1)) : Number(q) * 1000);
const mebi = (q) => {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti)?$/.exec(q);
  if (!m) throw new Error(`unparsed memory quantity ${q}`);
  const f = { Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 * 1024 }[m[2] ?? 'Mi'];
  return Math.round(Number(m[1]) * f);
};

/** Families the platform's pools and node group use: t, m, c, r of generation >= 3 (all variants). */
export const PLATFORM_CATEGORIES = ['t', 'm', 'c', 'r'];
export const MIN_GENERATION = 3;

/**
 * Rows for the platform families. maxPods = the EKS eni-max-pods.txt value (ENIs x (IPv4 per ENI - 1) + 2,
 * the VPC CNI default without prefix delegation); types missing from that file fall back to the same
 * formula over Karpenter's vpclimits (flagged maxPodsSource: 'formula').
 */
export function instanceTypeRows({ typesMd, vpcLimitsGo, eniMaxPods }) {
  const types = parseKarpenterInstanceTypesMd(typesMd);
  const limits = parseVpcLimitsGo(vpcLimitsGo);
  const eni = parseEniMaxPods(eniMaxPods);
  const families = new Map();
  const rows = [];
  for (const t of types.values()) {
    const l = t.labels;
    const family = l['karpenter.k8s.aws/instance-family'];
    const category = l['karpenter.k8s.aws/instance-category'];
    const generation = Number(l['karpenter.k8s.aws/instance-generation']);
    const architecture = l['kubernetes.io/arch'];
    if (!families.has(family)) families.set(family, { family, category, generation, architecture });
    if (!PLATFORM_CATEGORIES.includes(category) || generation < MIN_GENERATION) continue;
    const v = limits.get(t.name);
    if (!v) throw new Error(`${t.name}: no vpclimits entry`);
    const formula = v.enis * (v.ipv4PerEni - 1) + 2;
    const listed = eni.get(t.name);
    rows.push({
      name: t.name,
      family,
      category,
      generation,
      architecture,
      vcpu: Number(l['karpenter.k8s.aws/instance-cpu']),
      memoryMiB: Number(l['karpenter.k8s.aws/instance-memory']),
      enis: v.enis,
      ipv4PerEni: v.ipv4PerEni,
      maxPods: listed ?? formula,
      maxPodsSource: listed === undefined ? 'formula' : 'eni-max-pods.txt',
      burstable: category === 't',
      branchEnis: v.branchEnis,
      hypervisor: v.hypervisor,
      bareMetal: v.bareMetal,
      cpuManufacturer: l['karpenter.k8s.aws/instance-cpu-manufacturer'],
      karpenterAllocatable: {
        cpuMilli: cpuMilli(t.resources.cpu),
        memoryMiB: mebi(t.resources.memory),
        pods: Number(t.resources.pods),
      },
    });
  }
  rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const fam = [...families.values()].sort((a, b) => (a.family < b.family ? -1 : 1));
  return { rows, families: fam };
}
