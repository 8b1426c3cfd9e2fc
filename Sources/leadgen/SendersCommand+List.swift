import App
import ArgumentParser
import Foundation
import Storage

extension SendersCommand {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists the workspace's senders.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption

        func run() async throws {
            try await Runtime.withRoot(options, workspace) { root, workspace in
                let rows = try await root.stores.senders
                    .list(in: workspace.id).map {
                        [
                            $0.id, $0.channel.rawValue, $0.provider, $0.address, $0.name,
                            $0.hourlyLimit.map(String.init) ?? "-",
                            $0.dailyLimit.map(String.init) ?? "-", $0.status.rawValue,
                        ]
                    }
                print(
                    TextTable.render(
                        header: ["ID", "CHANNEL", "PROVIDER", "ADDRESS", "NAME", "PER HOUR", "PER DAY", "STATUS"],
                        rows: rows))
            }
        }
    }
}
