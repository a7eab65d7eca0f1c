import * as accounts from "../../schemas/accounts";
import * as registry from "../../schemas/registry";
import * as out from "../../schemas/responses";
import { ROLES } from "../../auth/roles";
import { defineOperation } from "../operation";

const tag = "Accounts";

export const login = defineOperation({
  method: "POST",
  path: "/api/login",
  operationId: "login",
  tag,
  summary: "Send a sign-in code",
  description: "Sends a 6-digit one-time code to the phone by SMS (valid 5 minutes, 5 attempts). Then call POST /api/verify.",
  auth: "public",
  body: accounts.loginBody,
  responses: { 200: { description: "the code was sent", schema: out.loginResult } },
  errors: { 429: "too many codes for this phone or from this address: see retry_after and the Retry-After header" },
});

export const verify = defineOperation({
  method: "POST",
  path: "/api/verify",
  operationId: "verify",
  tag,
  summary: "Exchange the code for a session",
  description:
    "Signs in (registering a new person with their own workspace on the first sign-in). The token works as a Bearer credential " +
    "and is also set as the session cookie; sessions last 30 days from the last use. The request's User-Agent (cut to 300 characters) " +
    "names the session in GET /api/sessions.",
  auth: "public",
  body: accounts.verifyBody,
  responses: { 200: { description: "signed in", schema: out.verifyResult, headers: { "set-cookie": "the session cookie" } } },
  errors: { 422: "invalid input, or `invalid_code`: wrong, expired or already used", 429: "too many wrong attempts" },
});

export const logout = defineOperation({
  method: "POST",
  path: "/api/logout",
  operationId: "logout",
  tag,
  summary: "End the current session",
  auth: "person",
  roles: "self",
  responses: { 200: { description: "signed out; the cookie is cleared", schema: out.logoutResult } },
});

export const getProfile = defineOperation({
  method: "GET",
  path: "/api/profile",
  operationId: "getProfile",
  tag,
  summary: "Your profile",
  description: "Your phone, your invite code, the colleague's code you activated, and who joined with yours.",
  auth: "person",
  roles: "self",
  responses: { 200: { description: "the profile", schema: out.profile } },
});

export const activateInviteCode = defineOperation({
  method: "PATCH",
  path: "/api/profile",
  operationId: "activateInviteCode",
  tag,
  summary: "Ask to join a colleague's workspace",
  description:
    "Activates a colleague's invite code, once per person. You are recorded in the code owner's workspace as pending and see " +
    "nothing of it until the owner admits you with a role (PATCH /api/workspaces/{id}/members/{person_id}) or declines; " +
    "GET /api/workspaces shows where your request stands. " +
    "Every try counts: 5 a minute and 20 an hour per person, 10 a minute and 50 an hour per client address.",
  auth: "person",
  roles: "self",
  body: accounts.updateProfileBody,
  responses: { 200: { description: "the profile after the activation", schema: out.profile } },
  errors: {
    409: "you already activated a code",
    422: "invalid input, your own code, or no one has this code",
    429: "too many codes tried: 5 a minute and 20 an hour per person, 10 a minute and 50 an hour per client address; see retry_after and the Retry-After header",
  },
});

export const listWorkspaces = defineOperation({
  method: "GET",
  path: "/api/workspaces",
  operationId: "listWorkspaces",
  tag,
  summary: "Your workspaces",
  description:
    "Your own workspace and the ones you joined, with your role in each; then your request to join one (`status` pending or " +
    "declined), which grants nothing.",
  auth: "person",
  roles: "self",
  responses: { 200: { description: "the workspaces", schema: out.workspaceList } },
});

export const listApiKeys = defineOperation({
  method: "GET",
  path: "/api/api-keys",
  operationId: "listApiKeys",
  tag,
  summary: "List API keys",
  description: "Keys of your workspaces: names, roles, prefixes and dates, never the keys themselves.",
  auth: "person",
  roles: ROLES.owner,
  responses: { 200: { description: "the keys", schema: out.apiKeyList } },
});

export const createApiKey = defineOperation({
  method: "POST",
  path: "/api/api-keys",
  operationId: "createApiKey",
  tag,
  summary: "Create an API key",
  description:
    "A key for one of your workspaces, sent as `Authorization: Bearer <key>`, acting with `role` (default accountant) in that " +
    "workspace. The key is in this response only.",
  auth: "person",
  roles: ROLES.owner,
  body: accounts.createApiKeyBody,
  responses: { 201: { description: "the key, shown once", schema: out.apiKeyCreated } },
  errors: {
    403: "called with an API key (people_only), your role is not owner (role_forbidden), or `role` is above yours in that workspace (role_above_yours)",
    404: "workspace_id is not one of your workspaces",
  },
});

export const deleteApiKey = defineOperation({
  method: "DELETE",
  path: "/api/api-keys/{id}",
  operationId: "deleteApiKey",
  tag,
  summary: "Revoke an API key",
  description: "The key stops working at once.",
  auth: "person",
  roles: ROLES.owner,
  params: registry.idParams,
  responses: { 204: { description: "revoked" } },
});

export const listSessions = defineOperation({
  method: "GET",
  path: "/api/sessions",
  operationId: "listSessions",
  tag,
  summary: "Your sessions",
  description:
    "Your live sessions (neither ended nor expired), the most recently used first: the device that signed in, when, " +
    "and when it was last used. `last_seen` is renewed at most once an hour, so it is accurate to the hour.",
  auth: "person",
  roles: "self",
  responses: { 200: { description: "the sessions", schema: out.sessionList } },
});

export const deleteSessions = defineOperation({
  method: "DELETE",
  path: "/api/sessions",
  operationId: "deleteSessions",
  tag,
  summary: "End your other sessions",
  description:
    "Ends every session of yours except the one making the request (sign out everywhere else); their tokens stop working at once. " +
    "With `include_current=true` the current one ends too and its cookie is cleared, as by POST /api/logout.",
  auth: "person",
  roles: "self",
  query: accounts.endSessionsQuery,
  responses: { 200: { description: "the sessions were ended", schema: out.sessionsEnded } },
});

export const deleteSession = defineOperation({
  method: "DELETE",
  path: "/api/sessions/{id}",
  operationId: "deleteSession",
  tag,
  summary: "End one of your sessions",
  description: "Its token stops working at once. Ending the session making the request signs you out: its cookie is cleared.",
  auth: "person",
  roles: "self",
  params: registry.idParams,
  responses: { 204: { description: "ended" } },
  errors: { 404: "not one of your live sessions (another person's, or already ended)" },
});
