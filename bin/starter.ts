/** The starter spec `innovate init` writes: about 20 lines that compile as they are. */
export const starterSpec = (schemaRef: string): string => `# yaml-language-server: $schema=${schemaRef}
apiVersion: innovate.dev/v1alpha1
kind: Platform
metadata:
  name: myapp
  owner: platform-team
  costCenter: cc-0000
environments:
  production: { accountId: "111111111111", region: us-east-1, production: true }
  staging: { accountId: "222222222222", region: us-east-1 }
delivery:
  appRepository: my-org/myapp
  configRepository: my-org/myapp-config
teams:   # who administers the clusters: an existing IAM role in each account (innovate plan checks it exists)
  platform: { iamRoleName: platform-admin, clusterAdmin: true }
workloads:
  api: { type: flask }
observability:   # who hears the alarms, the budget and cost anomalies (required in production: INN092)
  alerts: { emails: [platform-team@example.com] }
`;
