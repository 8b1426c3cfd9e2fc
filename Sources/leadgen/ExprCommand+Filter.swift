import ArgumentParser
import Automation
import Foundation
import LeadgenCore

extension ExprCommand {
    struct Filter: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prints true or false: whether a Make filter's conditions pass.",
            discussion: """
                Conditions are Make's [[{"a": …, "o": …, "b": …}]]: an OR of AND groups.
                Example: leadgen expr filter --conditions '[[{"a": "{{1.score}}", "o": "number:greater", "b": "50"}]]' --data '{"1": {"score": 72}}'
                """)

        @Option(help: "The conditions as JSON.")
        var conditions: String

        @OptionGroup var dataOption: DataOption

        func run() async throws {
            let evaluator = IMLEvaluator(context: try dataOption.context())
            let json: JSON
            do { json = try JSON.parse(Data(conditions.utf8)) } catch {
                throw ValidationError("--conditions is not JSON")
            }
            do {
                print(try IMLFilter.passes(json, evaluator: evaluator) ? "true" : "false")
            } catch {
                throw CommandFailure("\(error)")
            }
        }
    }
}
