import ArgumentParser
import Automation
import Foundation
import LeadgenCore

struct ExprCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expr", abstract: "Evaluates Make.com mapping expressions (IML) and filters.",
        subcommands: [Eval.self, Filter.self])

    /// `--data '{"1": {…}, "2": {…}}'`: module outputs by id.
    struct DataOption: ParsableArguments {
        @Option(help: "Module outputs as JSON, keyed by module id: '{\"1\": {\"email\": \"a@b.com\"}}'.")
        var data: String = "{}"

        @Option(help: "The IANA time zone dates are shown in (default UTC).")
        var timeZone: String = "UTC"

        func context() throws -> IMLContext {
            guard let zone = TimeZone(identifier: timeZone) else {
                throw ValidationError("--time-zone: '\(timeZone)' is not an IANA time zone such as Europe/Berlin")
            }
            let json: JSON
            do { json = try JSON.parse(Data(data.utf8)) } catch {
                throw ValidationError("--data is not JSON")
            }
            guard case .object(let outputs) = json else {
                throw ValidationError("--data must be a JSON object of module outputs, keyed by module id")
            }
            return IMLContext(outputs: outputs, timeZone: zone, now: TimeSource.system.now())
        }
    }

}
