import App
import Foundation
import LeadgenCore
import Storage

extension Runtime {
    /// The application, built once per command from the settings; with `sandbox`, every vendor is its fake.
    func root(workers: Int? = nil, sandbox: LeadgenConfig.SandboxSite? = nil) -> AppRoot {
        AppRoot(
            database: database, time: time, ids: ids, logger: logger,
            settings: config.appSettings(workers: workers, sandbox: sandbox))
    }
}

extension AppRoot {
    /// The workspace with this slug, created when missing.
    func workspace(_ slug: String) async throws -> Workspace {
        try await stores.workspaces.findOrCreate(slug: slug)
    }
}
