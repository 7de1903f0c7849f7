/**
 * The Rego of each Gatekeeper policy the spec can enforce (security.gatekeeper). Every policy
 * checks all containers of a Pod (init and ephemeral included); parameters come from the model.
 */
import type { Model } from '../../compiler/model.js';

export interface PolicyDefinition {
  /** Constraint kind; the ConstraintTemplate is named after it in lower case. */
  readonly kind: string;
  readonly description: string;
  readonly rego: string;
  /** openAPIV3Schema of the constraint's parameters. */
  readonly parameters?: Record<string, unknown>;
  readonly values?: (model: Model) => Record<string, unknown>;
}

const CONTAINERS = `
input_containers[c] {
  c := input.review.object.spec.containers[_]
}

input_containers[c] {
  c := input.review.object.spec.initContainers[_]
}

input_containers[c] {
  c := input.review.object.spec.ephemeralContainers[_]
}
`;

const stringArray = (description: string) => ({ type: 'array', description, items: { type: 'string' } });

export const POLICIES: Readonly<Record<string, PolicyDefinition>> = {
  requiredResources: {
    kind: 'K8sRequiredResources',
    description: 'Every container sets CPU and memory requests and limits.',
    rego: `package k8srequiredresources

violation[{"msg": msg}] {
  c := input_containers[_]
  section := ["requests", "limits"][_]
  resource := ["cpu", "memory"][_]
  not c.resources[section][resource]
  msg := sprintf("container <%v> does not set resources.%v.%v", [c.name, section, resource])
}
${CONTAINERS}`,
  },
  nonRoot: {
    kind: 'K8sRequireNonRoot',
    description: 'Every container runs as a non-root user (runAsNonRoot, never uid 0).',
    rego: `package k8srequirenonroot

violation[{"msg": msg}] {
  c := input_containers[_]
  not run_as_non_root(c)
  msg := sprintf("container <%v> must run with securityContext.runAsNonRoot: true", [c.name])
}

violation[{"msg": msg}] {
  c := input_containers[_]
  c.securityContext.runAsUser == 0
  msg := sprintf("container <%v> must not run as uid 0", [c.name])
}

run_as_non_root(c) {
  c.securityContext.runAsNonRoot
}

run_as_non_root(c) {
  not container_decides(c)
  input.review.object.spec.securityContext.runAsNonRoot
}

container_decides(c) {
  _ = c.securityContext.runAsNonRoot
}
${CONTAINERS}`,
  },
  readOnlyRootFilesystem: {
    kind: 'K8sReadOnlyRootFilesystem',
    description: 'Every container mounts its root file system read-only.',
    rego: `package k8sreadonlyrootfilesystem

violation[{"msg": msg}] {
  c := input_containers[_]
  not c.securityContext.readOnlyRootFilesystem
  msg := sprintf("container <%v> must set securityContext.readOnlyRootFilesystem: true", [c.name])
}
${CONTAINERS}`,
  },
  allowedRegistries: {
    kind: 'K8sAllowedRegistries',
    description: "Images come only from the platform's ECR registry.",
    parameters: { type: 'object', properties: { registries: stringArray('Allowed image prefixes (registry host followed by /).') } },
    values: (model) => ({ registries: [...new Set(model.workloads.map((w) => `${w.image.registry}/`))].sort() }),
    rego: `package k8sallowedregistries

violation[{"msg": msg}] {
  c := input_containers[_]
  not allowed(c.image)
  msg := sprintf("container <%v> image <%v> is not from an allowed registry %v", [c.name, c.image, input.parameters.registries])
}

allowed(image) {
  startswith(image, input.parameters.registries[_])
}
${CONTAINERS}`,
  },
  noLatestTag: {
    kind: 'K8sDisallowedTags',
    description: 'Images name an explicit tag (or digest), never a floating one such as latest.',
    parameters: { type: 'object', properties: { tags: stringArray('Disallowed tags.') } },
    values: () => ({ tags: ['latest'] }),
    rego: `package k8sdisallowedtags

violation[{"msg": msg}] {
  c := input_containers[_]
  tag := image_tag(c.image)
  tag == input.parameters.tags[_]
  msg := sprintf("container <%v> uses the disallowed tag <%v>", [c.name, tag])
}

violation[{"msg": msg}] {
  c := input_containers[_]
  not contains(c.image, "@")
  not image_tag(c.image)
  msg := sprintf("container <%v> image <%v> names no tag", [c.name, c.image])
}

image_tag(image) = tag {
  not contains(image, "@")
  parts := split(image, "/")
  last := parts[count(parts) - 1]
  contains(last, ":")
  tag := split(last, ":")[1]
}
${CONTAINERS}`,
  },
};
