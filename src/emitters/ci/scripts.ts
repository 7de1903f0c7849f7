/**
 * The shell steps of the workflows. None interpolates a `${{ }}` expression: every value a
 * step needs comes in through `env:`, so nothing from a pull request, a branch name or a
 * dispatch input can be spliced into a script.
 */

/**
 * The wait for one digest's scan and its CRITICAL count, shared by the build's gate and the
 * production promotion's: only ScanNotFoundException and PENDING / IN_PROGRESS wait (up to 10
 * minutes); any other AWS error or scan status fails the job with AWS's message. `repo` is the
 * shell variable holding the repository, `where` follows the image in messages, `onMissing` runs
 * when ECR has no scan yet (already indented), and every other line is indented by `indent`.
 */
const scanWait = (o: { indent: string; repo: string; where: string; status: string; onMissing: string }): string =>
  `${o.status}
for attempt in $(seq 1 60); do
  if findings=$(aws ecr describe-image-scan-findings --repository-name "${o.repo}" --image-id "imageDigest=$digest" --output json 2>"$errors"); then
    status=$(jq -r '.imageScanStatus.status // "PENDING"' <<<"$findings")
  elif grep -q ScanNotFoundException "$errors"; then
    status=PENDING\u0000
  else
    echo "::error::reading the $SCAN_TYPE scan of ${o.repo}@$digest${o.where} failed: $(tr '\\n' ' ' <"$errors")"
    exit 1
  fi
  case "$status" in
    COMPLETE|ACTIVE) break ;;
    PENDING|IN_PROGRESS) sleep 10 ;;
    *) echo "::error::scan of ${o.repo}@$digest ended with status $status: $(jq -r '.imageScanStatus.description // ""' <<<"$findings")"; exit 1 ;;
  esac
done
case "$status" in COMPLETE|ACTIVE) ;; *) echo "::error::scan of ${o.repo}@$digest${o.where} did not finish in 10 minutes (status $status)"; exit 1 ;; esac
critical=$(jq '[(.imageScanFindings.findingSeverityCounts.CRITICAL // 0), ([.imageScanFindings.findings[]? | select(.severity == "CRITICAL")] | length), ([.imageScanFindings.enhancedFindings[]? | select(.severity == "CRITICAL")] | length)] | max' <<<"$findings")
`
    .replace(/^(?=.)/gm, o.indent)
    .replace('\u0000', o.onMissing); // after indenting: onMissing carries its own indentation

/**
 * Waits for the ECR scan of every image of the pushed digest; fails on CRITICAL findings.
 *
 * No AWS error is taken for "not scanned yet": only ScanNotFoundException (ECR has not started
 * the scan) and the statuses PENDING / IN_PROGRESS wait. Anything else (an access denial, such as
 * a role without the inspector2 permissions enhanced scanning needs, a missing image or
 * repository, a throttling error the CLI gave up on) fails the job at once with AWS's message.
 * Enhanced scanning (Amazon Inspector) reports ACTIVE when the findings are there; basic
 * scanning reports COMPLETE. The CRITICAL count is the larger of the severity summary and the
 * listed findings (basic `findings`, enhanced `enhancedFindings`).
 */
export const SCAN_GATE = `set -euo pipefail
# A multi-platform push is an image index: ECR scans each image in it.
digests=$(docker buildx imagetools inspect --raw "$IMAGE@$DIGEST" | jq -r 'if .manifests then [.manifests[] | select(.platform.os != "unknown") | .digest] | join(" ") else "" end')
errors=$(mktemp)
for digest in \${digests:-$DIGEST}; do
${scanWait({ indent: '  ', repo: '$REPOSITORY', where: '', status: 'status=NONE', onMissing: '' })}  if [ "$critical" -gt 0 ]; then
    echo "::error::$REPOSITORY@$digest has $critical CRITICAL findings: not promoted"
    exit 1
  fi
  echo "$REPOSITORY@$digest: $SCAN_TYPE scan $status, no CRITICAL finding"
done
`;

/** The digest in the registry: the one an earlier run pushed, else this run's. */
export const PUSHED_DIGEST = `set -euo pipefail
echo "digest=\${EXISTING:-$BUILT}" >> "$GITHUB_OUTPUT"
`;

/** Signs the pushed digest (and each platform image) with the KMS signing key. */
export const SIGN = `set -euo pipefail
# No upload to the public transparency log: image names and account ids stay private.
# Verify with: cosign verify --key "$COSIGN_KEY" --insecure-ignore-tlog=true "$IMAGE@$DIGEST"
cosign sign --yes --recursive --tlog-upload=false --key "$COSIGN_KEY" "$IMAGE@$DIGEST"
`;

export const IMAGE_TAG = `set -euo pipefail
echo "tag=sha-\${GITHUB_SHA:0:12}" >> "$GITHUB_OUTPUT"
`;

/**
 * Whether an earlier run of the same commit already pushed the tag (a re-run after a failed scan
 * gate, signature or promotion). Tags are immutable and a rebuild rarely has the same digest, so
 * the build does not push again (push=false) and the pushed image is scanned, signed and promoted.
 * Only ImageNotFoundException means "not pushed yet"; any other AWS error fails the job.
 */
export const EXISTING_IMAGE = `set -euo pipefail
errors=$(mktemp)
if digest=$(aws ecr describe-images --repository-name "$REPOSITORY" --image-ids "imageTag=$TAG" --query 'imageDetails[0].imageDigest' --output text 2>"$errors"); then
  echo "$REPOSITORY:$TAG was pushed by an earlier run of this commit ($digest): not built again (tags are immutable)"
  echo "digest=$digest" >> "$GITHUB_OUTPUT"
  echo "push=false" >> "$GITHUB_OUTPUT"
elif grep -q ImageNotFoundException "$errors"; then
  echo "digest=" >> "$GITHUB_OUTPUT"
  echo "push=true" >> "$GITHUB_OUTPUT"
else
  echo "::error::looking up $REPOSITORY:$TAG failed: $(tr '\\n' ' ' <"$errors")"
  exit 1
fi
`;

/**
 * Records tags in the spec and recompiles: PROMOTIONS holds "workload=tag" pairs. The spec is
 * the source of truth, so \`innovate compile --check\` stays green after a promotion; the
 * generated helm/<env>/workloads/<name>.values.yaml shows the one-line tag change. On a
 * concurrent push it starts again from the new head (the lock file would conflict on a rebase).
 */
const APPLY = `git config user.name "innovate-promotion"
git config user.email "innovate-promotion@users.noreply.github.com"
apply() {
  for pair in $PROMOTIONS; do
    WORKLOAD="\${pair%%=*}" TAG="\${pair#*=}" \\
      yq -i '.environments[strenv(ENVIRONMENT)].overrides.workloads[strenv(WORKLOAD)].tag = strenv(TAG)' "$INNOVATE_SPEC"
  done
  npx --no-install innovate compile "$INNOVATE_SPEC" --out "$INNOVATE_OUT"
  git add -- "$INNOVATE_SPEC" "$INNOVATE_OUT"
}
for attempt in 1 2 3 4 5; do
  apply
  if git diff --cached --quiet; then
    echo "$ENVIRONMENT already runs $PROMOTIONS"
    exit 0
  fi
  git commit --quiet -m "promote $ENVIRONMENT: $PROMOTIONS" -m "$REASON"
  if git push --quiet origin "HEAD:$BRANCH"; then
    echo "promoted $ENVIRONMENT: $PROMOTIONS"
    exit 0
  fi
  git fetch --quiet origin "$BRANCH"
  git reset --quiet --hard FETCH_HEAD
  sleep $((attempt * 5))
done
echo "::error::could not push the promotion of $ENVIRONMENT after 5 attempts"
exit 1
`;

/** After a build: every workload at the new tag, in the build environment. */
export const PROMOTE_BUILT = `set -euo pipefail
tag="sha-\${GITHUB_SHA:0:12}"
PROMOTIONS=""
for workload in $WORKLOADS; do PROMOTIONS="$PROMOTIONS $workload=$tag"; done
PROMOTIONS="\${PROMOTIONS# }"
REASON="built from $GITHUB_REPOSITORY@$GITHUB_SHA by run $GITHUB_RUN_ID"
${APPLY}`;

/**
 * Resolves the source environment's tags (as innovate resolves them) for the selected workloads,
 * after checking that each image has reached the target registry (ECR replication from the build
 * registry), and writes them as the step output `promotions` ("workload=tag" pairs).
 */
export const PROMOTE_RESOLVE = `set -euo pipefail
if [ "$SELECTED" = all ]; then selected="$WORKLOADS"; else
  case " $WORKLOADS " in *" $SELECTED "*) selected="$SELECTED" ;; *) echo "::error::unknown workload $SELECTED"; exit 1 ;; esac
fi
resolved=$(npx --no-install innovate resolve "$INNOVATE_SPEC" --env "$SOURCE_ENVIRONMENT" --format json)
errors=$(mktemp)
PROMOTIONS=""
for workload in $selected; do
  tag=$(jq -r --arg w "$workload" '.workloads[] | select(.name == $w) | .image.tag // empty' <<<"$resolved")
  repository=""
  for pair in $REPOSITORIES; do [ "\${pair%%=*}" = "$workload" ] && repository="\${pair#*=}"; done
  if [ -z "$repository" ] || ! jq -e --arg w "$workload" 'any(.workloads[]; .name == $w)' <<<"$resolved" >/dev/null; then echo "::error::$workload is not in both $SOURCE_ENVIRONMENT and $ENVIRONMENT"; exit 1; fi
  if [ -z "$tag" ]; then echo "::error::$workload has no image in $SOURCE_ENVIRONMENT yet: promote it there first"; exit 1; fi
  # Only ImageNotFoundException (not replicated yet) waits; any other AWS error fails at once.
  for attempt in $(seq 1 30); do
    if aws ecr describe-images --repository-name "$repository" --image-ids "imageTag=$tag" --output json >/dev/null 2>"$errors"; then break; fi
    if ! grep -q ImageNotFoundException "$errors"; then echo "::error::looking up $repository:$tag in the $ENVIRONMENT registry failed: $(tr '\\n' ' ' <"$errors")"; exit 1; fi
    if [ "$attempt" = 30 ]; then echo "::error::$repository:$tag is not in the $ENVIRONMENT registry after 10 minutes (ECR replication)"; exit 1; fi
    sleep 20
  done
  PROMOTIONS="$PROMOTIONS $workload=$tag"
done
echo "promotions=\${PROMOTIONS# }" >> "$GITHUB_OUTPUT"
`;

/** Basic scanning only (enhanced scanning has no manual scan): a replicated image without a scan gets one, once. */
const START_BASIC_SCAN = `
        if [ "$started" = no ]; then
          started=yes
          if ! aws ecr start-image-scan --repository-name "$repository" --image-id "imageDigest=$digest" --output json >/dev/null 2>"$errors"; then
            echo "::error::starting the basic scan of $repository@$digest failed: $(tr '\\n' ' ' <"$errors")"
            exit 1
          fi
        fi`;

/**
 * The production door (issue 17: "ECR image scanning blocks images with critical CVEs from reaching
 * production"): for every image about to be promoted, the target registry's own scan (replicated
 * images are scanned there, and enhanced scanning keeps rescanning as new CVEs are published) must
 * show no CRITICAL finding. The tag's manifest comes from \`aws ecr batch-get-image\`: an image index
 * is checked image by image, as ECR scans it.
 *
 * No AWS error is taken for "not scanned yet": only ScanNotFoundException and the statuses PENDING /
 * IN_PROGRESS wait (with basic scanning, a replicated image that has no scan gets one started
 * once: START_BASIC_SCAN). A failed batch-get-image (its \`failures\`), an access denial, a scan that ends otherwise:
 * the job fails at once with AWS's message.
 */
export const promotionCveGate = (scanType: 'enhanced' | 'basic'): string => `set -euo pipefail
errors=$(mktemp)
media='application/vnd.oci.image.index.v1+json application/vnd.docker.distribution.manifest.list.v2+json application/vnd.oci.image.manifest.v1+json application/vnd.docker.distribution.manifest.v2+json'
for promotion in $PROMOTIONS; do
  workload="\${promotion%%=*}" tag="\${promotion#*=}" repository=""
  for pair in $REPOSITORIES; do [ "\${pair%%=*}" = "$workload" ] && repository="\${pair#*=}"; done
  if [ -z "$repository" ]; then echo "::error::$workload has no repository in $ENVIRONMENT"; exit 1; fi
  if ! image=$(aws ecr batch-get-image --repository-name "$repository" --image-ids "imageTag=$tag" --accepted-media-types $media --output json 2>"$errors"); then
    echo "::error::reading $repository:$tag in the $ENVIRONMENT registry failed: $(tr '\\n' ' ' <"$errors")"
    exit 1
  fi
  if [ "$(jq '.failures | length' <<<"$image")" != 0 ]; then
    echo "::error::reading $repository:$tag in the $ENVIRONMENT registry failed: $(jq -c '.failures' <<<"$image")"
    exit 1
  fi
  # An image index: every platform image (attestations have platform unknown/unknown); else the image itself.
  digests=$(jq -r '.images[0].imageManifest | fromjson | if .manifests then [.manifests[] | select(.platform.os != "unknown") | .digest] | join(" ") else "" end' <<<"$image")
  digests=\${digests:-$(jq -r '.images[0].imageId.imageDigest' <<<"$image")}
  for digest in $digests; do
${scanWait({ indent: '    ', repo: '$repository', where: ' in the $ENVIRONMENT registry', status: 'status=NONE started=no', onMissing: scanType === 'basic' ? START_BASIC_SCAN : '' })}    if [ "$critical" -gt 0 ]; then
      echo "::error::$repository:$tag ($digest) has $critical CRITICAL findings in the $ENVIRONMENT registry: not promoted to $ENVIRONMENT"
      exit 1
    fi
    echo "$repository:$tag ($digest): $SCAN_TYPE scan $status in $ENVIRONMENT, no CRITICAL finding"
  done
done
`;

/** Records the resolved tags (PROMOTIONS, from the resolve step) in the target and recompiles. */
export const PROMOTE_RECORD = `set -euo pipefail
REASON="copied from $SOURCE_ENVIRONMENT by $GITHUB_ACTOR (run $GITHUB_RUN_ID)"
${APPLY}`;
