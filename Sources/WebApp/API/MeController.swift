import Foundation
import Hummingbird
import LeadgenCore

/// `GET /api/v1/me`: whose key this is: the workspace, the key and its role. Integrations (Zapier's and
/// Make's connection tests) call it to check a key.
struct MeController {
    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("me", use: me)
    }

    struct Me: Encodable {
        var workspaceId, apiKeyId, role: String
    }

    @Sendable func me(_ request: Request, context: APIRequestContext) async throws -> Response {
        try JSONResponse.make(
            Me(workspaceId: context.workspace.rawValue, apiKeyId: context.apiKeyID, role: context.role.rawValue))
    }
}
