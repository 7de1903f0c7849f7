/**
 * Every template of the example and of its variants, validated against the CloudFormation
 * resource specification (@aws-cdk/aws-service-spec): zero findings.
 */
import { describe, expect, it } from 'vitest';
import { loadSpec, validateTemplate } from './cfn-spec.js';
import { compileCfn, templates, VARIANTS } from './fixtures.js';

const spec = loadSpec();

describe.skipIf(!spec)('CloudFormation resource specification', () => {
  if (!spec) console.warn('@aws-cdk/aws-service-spec is not installed: specification tests skipped');
  for (const [name, text] of Object.entries(VARIANTS)) {
    it(`${name}: every template is valid`, () => {
      const findings = templates(compileCfn(text).artifacts).flatMap((a) => validateTemplate(spec!, JSON.parse(a.content)).map((f) => `${a.path}: ${f}`));
      expect(findings).toEqual([]);
    });
  }

  it('the validator does find problems', () => {
    const findings = validateTemplate(spec!, {
      Resources: {
        A: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: 'vpc-1', MapPublicIpOnLaunch: 'maybe', Bogus: 1 } },
        B: { Type: 'AWS::Nope::Thing', Properties: {} },
        C: { Type: 'AWS::EKS::AccessEntry', Properties: { ClusterName: 'c', PrincipalArn: 'p', AccessPolicies: [{ PolicyArn: 'x' }] } },
        D: { Type: 'AWS::SNS::Topic', Properties: { TopicName: { 'Fn::GetAtt': ['A', 'NoSuchAttribute'] } } },
      },
    });
    expect(findings).toEqual(
      expect.arrayContaining([
        'A.MapPublicIpOnLaunch: expected boolean, got "maybe"',
        'A: unknown property Bogus',
        'B: unknown resource type AWS::Nope::Thing',
        'C.AccessPolicies[0]: required property AccessScope missing',
        'Fn::GetAtt A.NoSuchAttribute: AWS::EC2::Subnet has no such attribute',
      ]),
    );
  });
});
