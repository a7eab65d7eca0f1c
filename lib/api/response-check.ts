import { errorBody } from "../schemas/responses";
import { ERROR_STATUS, type ErrorCode } from "./errors";
import { errorStatuses, type Operation } from "./operation";

/**
 * Under test only: every answer of a route must be one its operation documents — a listed
 * status, and a JSON body that its schema accepts. A mismatch turns the answer into a 500
 * that names the difference, so the whole test suite keeps the OpenAPI description honest.
 */
export async function checkResponse(operation: Operation, response: Response): Promise<Response> {
  const status = response.status;
  const success = operation.responses[status as keyof Operation["responses"]];
  const errors = errorStatuses(operation);
  let problem: string | null = null;
  if (success) {
    if (success.contentType) {
      if (!response.headers.get("content-type")?.startsWith(success.contentType)) problem = `content-type is not ${success.contentType}`;
    } else if (success.schema) {
      problem = mismatch(success.schema.safeParse(await response.clone().json()));
    } else if ((await response.clone().text()) !== "") {
      problem = "a body was sent where none is documented";
    }
  } else if (status in errors) {
    const body = await response.clone().json();
    problem = mismatch(errorBody.safeParse(body));
    if (!problem && ERROR_STATUS[body.error.code as ErrorCode] !== status)
      problem = `error code ${body.error.code} does not go with status ${status}`;
  } else {
    problem = `status ${status} is not documented`;
  }
  if (!problem) return response;
  const message = `${operation.method} ${operation.path} (${operation.operationId}) answered ${status} unlike its OpenAPI description: ${problem}`;
  return Response.json({ error: { code: "internal", message } }, { status: 500 });
}

function mismatch(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }): string | null {
  if (result.success) return null;
  return result
    .error!.issues.slice(0, 5)
    .map((issue) => `${issue.path.map(String).join(".") || "(body)"}: ${issue.message}`)
    .join("; ");
}
