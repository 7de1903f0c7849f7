/**
 * EC2 instance families Karpenter can select, with the labels it derives from them
 * (karpenter.k8s.aws/instance-category = the leading letters, instance-generation =
 * the number, kubernetes.io/arch from the processor).
 *
 * Source: AWS "Amazon EC2 instance types" (docs.aws.amazon.com/ec2/latest/instancetypes/
 * instance-types.html), current-generation families as of 2025; previous-generation
 * t2/m4/c4/r4 kept because pools with low generation bounds can still select them.
 * Architecture: Graviton (arm64) families have a "g" right after the generation number
 * (m7g, c6gn, t4g, is4gen, g5g); every other family listed is x86_64 (amd64).
 */
const FAMILIES = [
  // general purpose
  't2', 't3', 't3a', 't4g',
  'm4', 'm5', 'm5a', 'm5ad', 'm5d', 'm5dn', 'm5n', 'm5zn', 'm6a', 'm6g', 'm6gd', 'm6i', 'm6id', 'm6idn', 'm6in',
  'm7a', 'm7g', 'm7gd', 'm7i', 'm7i-flex', 'm8a', 'm8g', 'm8gd', 'm8i', 'm8i-flex', 'mac2',
  // compute optimized
  'c4', 'c5', 'c5a', 'c5ad', 'c5d', 'c5n', 'c6a', 'c6g', 'c6gd', 'c6gn', 'c6i', 'c6id', 'c6in',
  'c7a', 'c7g', 'c7gd', 'c7gn', 'c7i', 'c7i-flex', 'c8g', 'c8gd', 'c8gn', 'c8i',
  // memory optimized
  'r4', 'r5', 'r5a', 'r5ad', 'r5b', 'r5d', 'r5dn', 'r5n', 'r6a', 'r6g', 'r6gd', 'r6i', 'r6id', 'r6idn', 'r6in',
  'r7a', 'r7g', 'r7gd', 'r7i', 'r7iz', 'r8g', 'r8gd', 'r8i', 'x1', 'x1e', 'x2gd', 'x2idn', 'x2iedn', 'x2iezn', 'x8g', 'z1d',
  // storage optimized
  'd3', 'd3en', 'i3', 'i3en', 'i4g', 'i4i', 'i7ie', 'i8g', 'im4gn', 'is4gen',
  // accelerated computing
  'g4dn', 'g5', 'g5g', 'g6', 'g6e', 'inf2', 'p4d', 'p5', 'trn1',
] as const;

export interface InstanceFamily {
  readonly family: string;
  readonly category: string;
  readonly generation: number;
  readonly architecture: 'amd64' | 'arm64';
}

export const INSTANCE_FAMILIES: readonly InstanceFamily[] = FAMILIES.map((family) => {
  const m = /^([a-z]+)(\d+)([a-z-]*)$/.exec(family)!;
  return { family, category: m[1]!, generation: Number(m[2]), architecture: m[3]!.startsWith('g') ? 'arm64' : 'amd64' };
});

export const familyOf = (instanceType: string): InstanceFamily | undefined => {
  const family = instanceType.split('.')[0];
  return INSTANCE_FAMILIES.find((f) => f.family === family);
};
