import Foundation
import HummingbirdBcrypt
import LeadgenCore
import NIOPosix
import Storage

/// Creates dashboard users and checks their passwords. Passwords are hashed with bcrypt (cost 12).
public struct AccountService: Sendable {
    let users: UserStore
    let workspaces: WorkspaceStore

    public init(users: UserStore, workspaces: WorkspaceStore) {
        self.users = users
        self.workspaces = workspaces
    }

    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        public var description: String
    }

    static let minimumPasswordLength = 10

    /// Creates a user in the workspace with this slug (created when missing), with `role`; the first user of a
    /// fresh install is its owner whatever the role asked.
    public func createUser(
        email text: String, password: String, name: String?, workspaceSlug: String, role: Role = .member
    ) async throws -> User {
        guard
            let user = try await create(
                email: text, password: password, name: name, workspaceSlug: workspaceSlug, role: role,
                onlyIfFirst: false)
        else { throw Problem(description: "the user could not be created") }
        return user
    }

    /// First-run setup: the install's owner, or nil when a user exists already (another request was first).
    public func createFirstOwner(email text: String, password: String, name: String?) async throws -> User? {
        try await create(
            email: text, password: password, name: name, workspaceSlug: "default", role: .member, onlyIfFirst: true)
    }

    private func create(
        email text: String, password: String, name: String?, workspaceSlug: String, role: Role, onlyIfFirst: Bool
    ) async throws -> User? {
        let email: EmailAddress
        do { email = try EmailAddress(parsing: text) } catch { throw Problem(description: error.description) }
        guard password.count >= Self.minimumPasswordLength else {
            throw Problem(description: "password must be at least \(Self.minimumPasswordLength) characters long")
        }
        guard password.utf8.count <= 72 else {
            throw Problem(description: "password must be at most 72 bytes long (bcrypt's limit)")
        }
        let workspace = try await workspaces.findOrCreate(slug: workspaceSlug)
        let hash = try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: 12) }
        do {
            return try await users.create(
                workspace: workspace.id, email: email, name: name, passwordHash: hash, otherwise: role,
                onlyIfFirst: onlyIfFirst)
        } catch let error as StoreError {
            throw Problem(description: error.description)
        }
    }

    /// The user with this e-mail and password, or nil. Takes as long for an unknown e-mail as for a wrong password.
    public func authenticate(email text: String, password: String) async throws -> User? {
        let user = try await (try? EmailAddress(parsing: text)).asyncFlatMap { try await users.find(email: $0) }
        let hash = user?.passwordHash
        let matches = try await NIOThreadPool.singleton.runIfActive {
            Bcrypt.verify(password, hash: hash ?? Self.decoyHash)
        }
        return matches ? user : nil
    }

    /// A bcrypt hash of a random password, checked when the e-mail is unknown so timing reveals nothing.
    static let decoyHash = Bcrypt.hash(UUID().uuidString, cost: 12)
}
