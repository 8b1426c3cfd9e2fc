import AsyncHTTPClient

/// Every native module Leadgen runs.
public enum AutomationModules {
    public static func all(httpClient: HTTPClient = .shared) -> [String: any NativeModule] {
        var modules = CoreModules.all()
        modules["http:ActionSendData"] = HTTPRequestModule(version: .v3, client: httpClient)
        modules["http:MakeRequest"] = HTTPRequestModule(version: .v4, client: httpClient)
        return modules
    }
}
