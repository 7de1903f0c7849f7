/**
 * Grafana's sign-in through IAM Identity Center (observability.grafana.sso), in observability.json.
 *
 * IAM Identity Center speaks SAML to custom applications, and SAML in Grafana is an Enterprise
 * feature; the chart runs OSS Grafana, which speaks OAuth 2.0 / OIDC. A Cognito user pool bridges
 * the two: Identity Center is its only identity provider (SAML), and Grafana signs in against its
 * hosted UI as a public client with PKCE, so no client secret exists. Nobody can sign up or sign in
 * to the pool directly: its users are the federated Identity Center users, whose MFA and password
 * policy are Identity Center's. The Identity Center application itself is an external input
 * (CloudFormation cannot create a SAML application): docs/kubernetes.md, "Grafana sign-in".
 */
import type { GrafanaSso, Model } from '../../compiler/model.js';
import { GRAFANA_CLIENT_ID_PARAMETER } from '../../compiler/names.js';
import { getAtt, ref, sub, type Template } from './template.js';

/** The SAML attribute names the Identity Center application must send (docs: its attribute mappings). */
export const SAML_ATTRIBUTES = { email: 'email', groups: 'groups' } as const;
/** Cognito's name of the identity provider, which the app client lists. */
export const IDENTITY_PROVIDER = 'IdentityCenter';
/** Grafana's OAuth callback path (generic_oauth). */
export const GRAFANA_CALLBACK = '/login/generic_oauth';

export function grafanaSignIn(t: Template): void {
  const m: Model = t.model;
  const sso: GrafanaSso | undefined = m.observability.grafana.sso;
  if (!sso) return;
  t.add('GrafanaUserPool', 'AWS::Cognito::UserPool', {
    UserPoolName: `${m.names.cluster}-grafana`,
    // Federated users only: no self sign-up, no local passwords in use (the policy below is a floor).
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'admin_only', Priority: 1 }] },
    Policies: { PasswordPolicy: { MinimumLength: 14, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true, RequireUppercase: true, TemporaryPasswordValidityDays: 1 } },
    MfaConfiguration: 'OFF',
    // The IAM Identity Center groups of the user, as the SAML assertion lists them (group ids).
    Schema: [{ Name: SAML_ATTRIBUTES.groups, AttributeDataType: 'String', Mutable: true, StringAttributeConstraints: { MinLength: '0', MaxLength: '2048' } }],
    DeletionProtection: m.environment.production ? 'ACTIVE' : 'INACTIVE',
  });
  t.add('GrafanaUserPoolDomain', 'AWS::Cognito::UserPoolDomain', { Domain: sso.domainPrefix, UserPoolId: ref('GrafanaUserPool') });
  t.add('GrafanaIdentityCenter', 'AWS::Cognito::UserPoolIdentityProvider', {
    UserPoolId: ref('GrafanaUserPool'),
    ProviderName: IDENTITY_PROVIDER,
    ProviderType: 'SAML',
    ProviderDetails: { MetadataURL: sso.metadataUrl, IDPSignout: 'false' },
    AttributeMapping: { email: SAML_ATTRIBUTES.email, [`custom:${SAML_ATTRIBUTES.groups}`]: SAML_ATTRIBUTES.groups },
  });
  t.add(
    'GrafanaUserPoolClient',
    'AWS::Cognito::UserPoolClient',
    {
      UserPoolId: ref('GrafanaUserPool'),
      ClientName: 'grafana',
      // A public client: Grafana uses PKCE (use_pkce), so there is no client secret to store or rotate.
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['email', 'openid', 'profile'],
      CallbackURLs: [`${sso.rootUrl}${GRAFANA_CALLBACK}`],
      LogoutURLs: [`${sso.rootUrl}/login`],
      SupportedIdentityProviders: [IDENTITY_PROVIDER],
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      ReadAttributes: ['email', `custom:${SAML_ATTRIBUTES.groups}`],
      AccessTokenValidity: 1,
      IdTokenValidity: 1,
      RefreshTokenValidity: 12,
      TokenValidityUnits: { AccessToken: 'hours', IdToken: 'hours', RefreshToken: 'hours' },
    },
    { dependsOn: ['GrafanaIdentityCenter'] },
  );
  t.publish([...GRAFANA_CLIENT_ID_PARAMETER], ref('GrafanaUserPoolClient'), "Grafana's Cognito app client id (a public PKCE client)");
  // What the Identity Center application needs: its ACS URL and SAML audience.
  t.output('GrafanaSamlAcsUrl', `${sso.baseUrl}/saml2/idpresponse`, 'Application ACS URL of the Grafana application in IAM Identity Center');
  t.output('GrafanaSamlAudience', sub('urn:amazon:cognito:sp:${GrafanaUserPool}'), 'Application SAML audience of the Grafana application in IAM Identity Center');
  t.output('GrafanaUserPoolArn', getAtt('GrafanaUserPool', 'Arn'), 'Cognito user pool federating IAM Identity Center for Grafana');
}
