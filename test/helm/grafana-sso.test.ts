/**
 * "AWS SSO for centralized identity management" (issue 17 §6): Grafana signs in through IAM
 * Identity Center with the platform team as admins, has no static admin password, and no secret
 * in any template is left without rotation.
 */
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { roleAttributePath } from '../../src/emitters/helm/grafana.js';
import { exampleVariant } from '../helpers.js';
import { byPath, compileOk, documents, type Doc } from '../kubernetes/support.js';

/** The generated role_attribute_path, evaluated as Grafana's JMESPath would over an ID token's claims. */
function grafanaRole(path: string, claims: Doc): string {
  for (const clause of path.split(' || ')) {
    const literal = /^'(.*)'$/.exec(clause);
    if (literal) return literal[1]!;
    const [, claim, group, role] = /^contains\("([^"]+)", '([^']+)'\) && '([^']+)'$/.exec(clause)!;
    const value = claims[claim!];
    if (typeof value === 'string' && value.includes(group!)) return role!;
  }
  throw new Error(`no default in ${path}`);
}

describe('Grafana signs in through IAM Identity Center', () => {
  const { artifacts, models } = compileOk();
  const files = byPath(artifacts);
  const grafana = (env: string) => (parse(files.get(`helm/${env}/kube-prometheus-stack.values.yaml`)!.content) as Doc).grafana as Doc;
  const template = (env: string, name: string) => JSON.parse(files.get(`cloudformation/${env}/${name}.json`)!.content) as Doc;

  for (const m of models) {
    const env = m.environment.name;
    const v = grafana(env);
    const ini = v['grafana.ini'] as Doc;

    it(`${env}: no admin password: no admin secret in values, templates or the cluster; no local admin, no password sign-in`, () => {
      expect(v.admin).toBeUndefined();
      expect(v.adminPassword).toBeUndefined();
      expect(ini.security.disable_initial_admin_creation).toBe(true);
      expect(ini.auth.disable_login_form).toBe(true);
      expect(ini['auth.basic'].enabled).toBe(false);
      expect(ini['auth.anonymous'].enabled).toBe(false);
      for (const a of artifacts.filter((x) => x.environment === env && x.path.startsWith('cloudformation/'))) expect(a.content, a.path).not.toMatch(/Grafana.*Secret"|grafana-admin|admin-password/i);
      const externalSecrets = artifacts.filter((a) => a.environment === env && a.path.startsWith('kubernetes/')).flatMap((a) => documents(a.content)).filter((d) => d.kind === 'ExternalSecret');
      expect(externalSecrets.filter((d) => d.metadata.namespace === m.platform.monitoring.namespace).map((d) => d.metadata.name)).toEqual(['grafana-sso']);
    });

    it(`${env}: OIDC against the Cognito pool that federates Identity Center, as a public PKCE client`, () => {
      const sso = m.observability.grafana.sso!;
      const oauth = ini['auth.generic_oauth'] as Doc;
      expect(oauth).toMatchObject({ enabled: true, use_pkce: true, role_attribute_strict: true, auth_url: `${sso.baseUrl}/oauth2/authorize`, token_url: `${sso.baseUrl}/oauth2/token` });
      expect(oauth.client_secret).toBeUndefined();
      const cfn = template(env, 'observability').Resources as Record<string, Doc>;
      expect(cfn.GrafanaUserPoolDomain!.Properties.Domain).toBe(sso.domainPrefix);
      expect(cfn.GrafanaIdentityCenter!.Properties).toMatchObject({ ProviderType: 'SAML', ProviderDetails: { MetadataURL: sso.metadataUrl } });
      const client = cfn.GrafanaUserPoolClient!.Properties;
      expect(client.GenerateSecret).toBe(false);
      expect(client.SupportedIdentityProviders).toEqual([cfn.GrafanaIdentityCenter!.Properties.ProviderName]);
      expect(client.CallbackURLs).toEqual([`${ini.server.root_url}/login/generic_oauth`]);
      expect(cfn.GrafanaUserPool!.Properties.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
      // The client id reaches Grafana from the parameter the stack publishes.
      const published = Object.values(cfn).find((r) => r.Type === 'AWS::SSM::Parameter' && JSON.stringify(r.Properties.Value) === JSON.stringify({ Ref: 'GrafanaUserPoolClient' }))!;
      const es = artifacts.filter((a) => a.environment === env).flatMap((a) => (a.path.startsWith('kubernetes/') ? documents(a.content) : [])).find((d) => d.kind === 'ExternalSecret' && d.metadata.name === v.envFromSecret)!;
      expect(es.spec.data).toEqual([{ secretKey: 'GF_AUTH_GENERIC_OAUTH_CLIENT_ID', remoteRef: { key: published.Properties.Name } }]);
    });

    it(`${env}: the platform team is Grafana admin; a user in no team's group is refused`, () => {
      const path = ini['auth.generic_oauth'].role_attribute_path as string;
      const sets = { operators: '9067a1b2c3-66666666-7777-8888-9999-000000000000', developers: '9067a1b2c3-11111111-2222-3333-4444-555555555555' };
      expect(grafanaRole(path, { 'custom:groups': `[${sets.operators}]` })).toBe('GrafanaAdmin');
      expect(grafanaRole(path, { 'custom:groups': `[${sets.developers}, ${sets.operators}]` })).toBe('GrafanaAdmin');
      expect(grafanaRole(path, { 'custom:groups': '[some-other-group]' })).toBe('');
      expect(grafanaRole(path, {})).toBe('');
      // web (developers, edit access) exists only in staging: an editor there, refused in production.
      expect(grafanaRole(path, { 'custom:groups': `[${sets.developers}]` })).toBe(env === 'staging' ? 'Editor' : '');
    });
  }

  it('every Secrets Manager secret any template creates is rotated', () => {
    for (const a of artifacts.filter((x) => x.path.startsWith('cloudformation/') && x.path.endsWith('.json'))) {
      const resources = (JSON.parse(a.content) as Doc).Resources as Record<string, Doc> | undefined;
      if (!resources) continue;
      const rotated = new Set(
        Object.values(resources)
          .filter((r) => r.Type === 'AWS::SecretsManager::RotationSchedule')
          .map((r) => r.Properties.SecretId.Ref as string)
          .map((id) => (resources[id]?.Type === 'AWS::SecretsManager::SecretTargetAttachment' ? (resources[id]!.Properties.SecretId.Ref as string) : id)),
      );
      for (const [id, r] of Object.entries(resources)) {
        if (r.Type === 'AWS::SecretsManager::Secret') expect(rotated.has(id), `${a.path}#${id} has no RotationSchedule`).toBe(true);
      }
    }
  });

  it('without sso: still no admin and no password sign-in (nobody signs in), no Cognito pool', () => {
    const r = compileOk(exampleVariant((s) => {
      delete s.environments.staging.overrides.observability;
    }));
    const f = byPath(r.artifacts);
    const v = (parse(f.get('helm/staging/kube-prometheus-stack.values.yaml')!.content) as Doc).grafana;
    expect(v.admin).toBeUndefined();
    expect(v['grafana.ini'].security.disable_initial_admin_creation).toBe(true);
    expect(v['grafana.ini']['auth.generic_oauth']).toBeUndefined();
    expect(f.get('cloudformation/staging/observability.json')!.content).not.toContain('Cognito');
  });

  it('roleAttributePath orders admin before editor before viewer', () => {
    expect(roleAttributePath({ metadataUrl: '', domainPrefix: '', baseUrl: '', rootUrl: '', roles: [{ role: 'GrafanaAdmin', groupIds: ['a'], teams: ['p'] }, { role: 'Viewer', groupIds: ['b', 'c'], teams: ['v'] }] })).toBe(
      `contains("custom:groups", 'a') && 'GrafanaAdmin' || contains("custom:groups", 'b') && 'Viewer' || contains("custom:groups", 'c') && 'Viewer' || ''`,
    );
  });
});
