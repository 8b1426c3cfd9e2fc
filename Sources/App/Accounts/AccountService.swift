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

    /// Adds a user with `role` to the workspace (an owner's act in the dashboard).
    public func addUser(
        email text: String, password: String, name: String?, role: Role, to workspace: WorkspaceID
    ) async throws -> User {
        guard
            let user = try await create(
                email: try Self.check(email: text, password: password), password: password, name: name,
                workspace: workspace, role: role, onlyIfFirst: false)
        else { throw Problem(description: "the user could not be created") }
        return user
    }

    /// The workspace's users, owners first.
    public func team(of workspace: WorkspaceID) async throws -> [User] {
        try await users.list(in: workspace)
    }

    /// Gives a user of the workspace another role; the last owner keeps theirs (a `Problem`). A user of
    /// another workspace is not found (`StoreError.notFound`).
    public func setRole(of userID: String, to role: Role, in workspace: WorkspaceID) async throws -> User {
        do { return try await users.setRole(userID, to: role, in: workspace) } catch StoreError.conflict(let why) {
            throw Problem(description: why)
        }
    }

    /// Removes a user of the workspace and ends their sessions; the last owner stays.
    public func removeUser(_ userID: String, from workspace: WorkspaceID) async throws -> User {
        do { return try await users.remove(userID, in: workspace) } catch StoreError.conflict(let why) {
            throw Problem(description: why)
        }
    }

    /// The user with this e-mail, for commands that name users by address.
    public func user(email text: String) async throws -> User? {
        guard let email = try? EmailAddress(parsing: text) else { return nil }
        return try await users.find(email: email)
    }

    private func create(
        email text: String, password: String, name: String?, workspaceSlug: String, role: Role, onlyIfFirst: Bool
    ) async throws -> User? {
        let email = try Self.check(email: text, password: password)
        let workspace = try await workspaces.findOrCreate(slug: workspaceSlug)
        return try await create(
            email: email, password: password, name: name, workspace: workspace.id, role: role,
            onlyIfFirst: onlyIfFirst)
    }

    private func create(
        email: EmailAddress, password: String, name: String?, workspace: WorkspaceID, role: Role, onlyIfFirst: Bool
    ) async throws -> User? {
        let hash = try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: 12) }
        do {
            return try await users.create(
                workspace: workspace, email: email, name: name, passwordHash: hash, otherwise: role,
                onlyIfFirst: onlyIfFirst)
        } catch let error as StoreError {
            throw Problem(description: error.description)
        }
    }

    /// The e-mail, when it and the password are acceptable.
    private static func check(email text: String, password: String) throws -> EmailAddress {
        let email: EmailAddress
        do { email = try EmailAddress(parsing: text) } catch { throw Problem(description: error.description) }
        guard password.count >= minimumPasswordLength else {
            throw Problem(description: "password must be at least \(minimumPasswordLength) characters long")
        }
        guard password.utf8.count <= 72 else {
            throw Problem(description: "password must be at most 72 bytes long (bcrypt's limit)")
        }
        return email
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
