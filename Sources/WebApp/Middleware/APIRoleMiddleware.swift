import HTTPTypes
import Hummingbird
import LeadgenCore
import Storage

/// Refuses an API request its key's role does not allow: 403, naming the role it needs.
struct APIRoleMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let needed = RoleRequirement.needed(method: request.method, path: request.uri.path)
        guard context.role >= needed else {
            throw Problem(
                status: .forbidden, title: "Forbidden",
                detail: "this API key's role is \(context.role.rawValue); \(request.method) \(request.uri.path) "
                    + "needs \(needed.rawValue) or more")
        }
        return try await next(request, context)
    }
}
