import { expect } from "vitest";
import { api } from "./api";
import { signIn } from "./auth";

/**
 * A new person signed in, with a workspace of their own, and the API as them: `call` any route,
 * `create` a POST that must answer 201 (its body, or the test fails naming the answer).
 */
export async function asNewPerson(phone: string) {
  const person = await signIn(phone);
  const call = <T = any>(method: string, url: string, body?: unknown) => api<T>(method, url, body, { token: person.token });
  const create = async <T = any>(url: string, body: unknown): Promise<T> => {
    const res = await call<T>("POST", url, body);
    expect(res.status, `POST ${url} ${JSON.stringify(res.body)}`).toBe(201);
    return res.body;
  };
  return { person, call, create };
}
