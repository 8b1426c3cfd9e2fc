import App
import Foundation
import LeadgenCore
import Logging
import Storage

extension Runtime {
    /// The application, built once per command from the settings; with `sandbox`, every vendor is its fake.
    func root(workers: Int? = nil, sandbox: LeadgenConfig.SandboxSite? = nil) -> AppRoot {
        AppRoot(
            database: database, time: time, ids: ids, logger: logger,
            settings: config.appSettings(workers: workers, sandbox: sandbox))
    }
}

extension Runtime {
    /// Starts, then runs `body` with the application and the workspace named by `--workspace` (created
    /// when missing); logs below warning stay quiet, so the output is the command's own.
    static func withRoot(
        _ options: GlobalOptions, _ workspace: WorkspaceOption, _ body: (AppRoot, Workspace) async throws -> Void
    ) async throws {
        let runtime = try await Runtime.start(options, defaultLogLevel: .warning)
        try await runtime.run {
            let root = runtime.root()
            try await body(root, try await root.workspace(workspace.workspace))
        }
    }
}

extension AppRoot {
    /// The workspace with this slug, created when missing.
    func workspace(_ slug: String) async throws -> Workspace {
        try await stores.workspaces.findOrCreate(slug: slug)
    }
}
