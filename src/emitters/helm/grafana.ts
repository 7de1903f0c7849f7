/**
 * Grafana's part of the kube-prometheus-stack values: no local admin, no password sign-in, and
 * sign-in through IAM Identity Center (observability.grafana.sso) by way of the Cognito user pool
 * of observability.json (src/emitters/cloudformation/grafana-sso.ts), as an OAuth public client
 * with PKCE. The client id comes from the SSM parameter that stack publishes, through External
 * Secrets (GF_AUTH_GENERIC_OAUTH_CLIENT_ID); no value here is a secret.
 *
 * Roles: role_attribute_path maps the user's IAM Identity Center groups (the SAML `groups`
 * attribute, Cognito's custom:groups claim) to GrafanaAdmin, Editor or Viewer, strongest first,
 * and role_attribute_strict refuses anyone in none of the teams' groups.
 *
 * The chart still renders a Secret with a random admin password when admin.existingSecret is
 * empty (it always sets GF_SECURITY_ADMIN_*); disable_initial_admin_creation keeps Grafana from
 * creating that user, so the password opens nothing.
 */
import type { GrafanaSso, Model } from '../../compiler/model.js';
import { SAML_ATTRIBUTES } from '../cloudformation/grafana-sso.js';
import { GRAFANA_SSO_SECRET } from '../kubernetes/meta.js';
import type { Values } from './common.js';

/** JMESPath over the ID token's claims: the first role whose group the user is in, else '' (refused). */
export function roleAttributePath(sso: GrafanaSso): string {
  const claim = `"custom:${SAML_ATTRIBUTES.groups}"`;
  const clauses = sso.roles.flatMap((r) => r.groupIds.map((g) => `contains(${claim}, '${g}') && '${r.role}'`));
  return [...clauses, "''"].join(' || ');
}

function signIn(sso: GrafanaSso): Values {
  return {
    'auth.generic_oauth': {
      enabled: true,
      name: 'AWS IAM Identity Center',
      allow_sign_up: true,
      use_pkce: true,
      scopes: 'openid email profile',
      auth_url: `${sso.baseUrl}/oauth2/authorize`,
      token_url: `${sso.baseUrl}/oauth2/token`,
      api_url: `${sso.baseUrl}/oauth2/userInfo`,
      signout_redirect_url: `${sso.baseUrl}/logout?client_id=$__env{GF_AUTH_GENERIC_OAUTH_CLIENT_ID}&logout_uri=${encodeURIComponent(`${sso.rootUrl}/login`)}`,
      email_attribute_path: 'email',
      login_attribute_path: 'email',
      role_attribute_path: roleAttributePath(sso),
      role_attribute_strict: true,
      allow_assign_grafana_admin: true,
      skip_org_role_sync: false,
    },
  };
}

/** grafana.* values except placement and sizing (the caller's). */
export function grafanaValues(model: Model): Values {
  const sso = model.observability.grafana.sso;
  return {
    ...(sso ? { envFromSecret: GRAFANA_SSO_SECRET } : {}),
    'grafana.ini': {
      ...(sso ? { server: { root_url: sso.rootUrl } } : {}),
      security: { disable_initial_admin_creation: true },
      auth: { disable_login_form: true, ...(sso ? { oauth_auto_login: true } : {}) },
      'auth.basic': { enabled: false },
      'auth.anonymous': { enabled: false },
      users: { allow_sign_up: false },
      ...(sso ? signIn(sso) : {}),
    },
  };
}
