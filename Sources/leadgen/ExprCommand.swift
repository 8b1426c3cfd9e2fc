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

    struct Eval: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prints the value of an expression as JSON.",
            discussion: """
                The expression is a mapper string: `{{1.email}}` keeps the value's type, text around \
                expressions gives text. A bare expression without braces is evaluated as one expression.
                Example: leadgen expr eval '{{formatDate(1.when; "YYYY-MM-DD")}}' --data '{"1": {"when": "2024-05-01T10:00:00Z"}}'
                """)

        @Argument(help: "The expression or mapper string.")
        var expression: String

        @OptionGroup var dataOption: DataOption

        func run() async throws {
            let evaluator = IMLEvaluator(context: try dataOption.context())
            let source = expression.contains("{{") ? expression : "{{\(expression)}}"
            let offset = expression.contains("{{") ? 0 : 2
            do {
                let template = try IMLTemplate(parsing: source)
                let value = try evaluator.evaluate(template)
                print(String(decoding: try value.data(), as: UTF8.self))
            } catch let error as IMLSyntaxError {
                var shifted = error
                shifted.position -= offset
                throw CommandFailure("syntax error: \(shifted)")
            } catch let error as IMLEvaluationError {
                throw CommandFailure("evaluation error: \(error)")
            }
        }
    }

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
