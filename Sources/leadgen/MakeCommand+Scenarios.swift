import App
import ArgumentParser
import Foundation
import Logging
import Pipeline
import Providers
import Storage

extension MakeCommand {
    struct Scenarios: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists a team's (or organization's) scenarios.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption
        @Option(help: "The Make team's id.") var team: Int?
        @Option(help: "The Make organization's id (instead of a team).") var organization: Int?

        func validate() throws {
            if team == nil, organization == nil { throw ValidationError("give --team or --organization") }
        }

        func run() async throws {
            try await Runtime.withRoot(options, workspace) { root, workspace in
                let client = try await MakeCommand.client(root, workspace)
                var rows: [[String]] = []
                var offset = 0
                while true {
                    let page: [MakeClient.Scenario]
                    do {
                        page = try await client.listScenarios(
                            teamID: team, organizationID: organization, offset: offset)
                    } catch { throw CommandFailure("\(error)") }
                    rows += page.map {
                        [
                            String($0.id), $0.name, $0.isActive == true ? "active" : "inactive",
                            $0.hookId == nil ? "" : "webhook",
                        ]
                    }
                    if page.count < 100 { break }
                    offset += page.count
                }
                print(TextTable.render(header: ["ID", "NAME", "STATE", "TRIGGER"], rows: rows))
            }
        }
    }
}
