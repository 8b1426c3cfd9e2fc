import Foundation
import LeadgenCore
import SQLKit

/// What a workspace set for its scenario runs; a missing field keeps the default.
public struct ScenarioLimitsSetting: Sendable, Equatable, Codable {
    public var operations: Int?
    public var seconds: Int?
    public var bytes: Int?

    public init(operations: Int? = nil, seconds: Int? = nil, bytes: Int? = nil) {
        self.operations = operations
        self.seconds = seconds
        self.bytes = bytes
    }
}

/// Reads and writes each workspace's scenario limits.
public struct ScenarioLimitsStore: Sendable {
    let database: LeadgenDatabase

    public init(database: LeadgenDatabase) { self.database = database }

    public func get(_ workspace: WorkspaceID) async throws -> ScenarioLimitsSetting {
        let row = try await database.sql.select().column("scenario_limits").from("workspaces")
            .where("id", .equal, workspace.rawValue).first()
        guard let text = try row?.decode(column: "scenario_limits", as: String?.self) else {
            return ScenarioLimitsSetting()
        }
        return (try? JSONDecoder().decode(ScenarioLimitsSetting.self, from: Data(text.utf8))) ?? ScenarioLimitsSetting()
    }

    /// Stores the setting (all fields nil resets to the defaults); false when there is no such workspace.
    public func set(_ setting: ScenarioLimitsSetting, for workspace: WorkspaceID) async throws -> Bool {
        let text: String? =
            setting == ScenarioLimitsSetting()
            ? nil : String(decoding: try JSONEncoder().encode(setting), as: UTF8.self)
        return try await !database.sql.raw(
            """
            UPDATE workspaces SET scenario_limits = \(bind: text) WHERE id = \(bind: workspace.rawValue) RETURNING id
            """
        ).all().isEmpty
    }
}
