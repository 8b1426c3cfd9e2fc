import ArgumentParser
import Automation
import Foundation
import LeadgenCore

extension ExprCommand {
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
}
