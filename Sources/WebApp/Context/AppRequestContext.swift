import Hummingbird
import LeadgenCore
import Logging
import Storage

/// The context of every request: who is calling, as far as the authentication middleware found out.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `APIKeyMiddleware` for a valid `Authorization: Bearer` key.
    public var apiKey: APIKeyHolder?
    /// Set by `SessionMiddleware` for a valid session cookie.
    public var session: Session?
    /// How large a body the JSON decoder accepts; CSV uploads stream with their own limit.
    public var maxUploadSize: Int { 1024 * 1024 }
    /// The address of the connection's peer (the last proxy, behind one).
    public let clientAddress: String?

    public init(source: Source) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress
    }
}

/// The context of an API request that presented a valid key: the workspace is known.
public struct APIRequestContext: ChildRequestContext {
    public typealias ParentContext = AppRequestContext
    public var coreContext: CoreRequestContextStorage
    public let workspace: WorkspaceID
    public let apiKeyID: String
    /// What the key may do.
    public let role: Role
    public var maxUploadSize: Int { 1024 * 1024 }

    public init(context: AppRequestContext) throws {
        guard let key = context.apiKey else { throw Problem.unauthorized }
        coreContext = context.coreContext
        workspace = key.workspace
        apiKeyID = key.keyID
        role = key.role
    }
}

/// The context of a dashboard request from a logged-in user.
public struct DashboardContext: ChildRequestContext {
    public typealias ParentContext = AppRequestContext
    public var coreContext: CoreRequestContextStorage
    public let session: Session
    public var maxUploadSize: Int { 1024 * 1024 }

    public init(context: AppRequestContext) throws {
        guard let session = context.session else { throw DashboardRedirect.toLogin }
        coreContext = context.coreContext
        self.session = session
    }
}

/// Sends a browser without a session to the login page.
public enum DashboardRedirect: Error {
    case toLogin
}
