/// A lead or company field that a CSV column can hold.
public enum LeadColumn: String, CaseIterable, Sendable, Codable {
    case firstName = "first_name", lastName = "last_name", fullName = "full_name", title, seniority, departments
    case email, emailStatus = "email_status", secondaryEmail = "secondary_email", tertiaryEmail = "tertiary_email"
    case workDirectPhone = "work_direct_phone", mobilePhone = "mobile_phone", homePhone = "home_phone"
    case corporatePhone = "corporate_phone", otherPhone = "other_phone"
    case linkedinURL = "linkedin_url", city, state, country, timeZone = "time_zone", owner, tags, status
    case companyName = "company_name", companyDomain = "company_domain", companyLinkedinURL = "company_linkedin_url"
    case industry, employees, annualRevenue = "annual_revenue", companyPhone = "company_phone"
    case companyCity = "company_city", companyState = "company_state", companyCountry = "company_country"
    case apolloPersonID = "apollo_person_id", apolloContactID = "apollo_contact_id"
    case apolloAccountID = "apollo_account_id"
    /// The column is read but not stored.
    case ignore

    /// Header spellings each field is recognized by, compared after `headerKey` folding. Covers both
    /// variants of the Apollo people export (`Company Name` and the older `Company`) and generic headers.
    static let aliases: [LeadColumn: [String]] = [
        .firstName: ["firstname", "first", "givenname", "fname"],
        .lastName: ["lastname", "last", "surname", "familyname", "lname"],
        .fullName: ["name", "fullname", "contactname", "personname"],
        .title: ["title", "jobtitle", "position"],
        .seniority: ["seniority"],
        .departments: ["departments", "department"],
        .email: ["email", "emailaddress", "workemail", "businessemail"],
        .emailStatus: ["emailstatus"],
        .secondaryEmail: ["secondaryemail", "personalemail"],
        .tertiaryEmail: ["tertiaryemail"],
        .workDirectPhone: ["workdirectphone", "directphone", "workphone"],
        .mobilePhone: ["mobilephone", "mobile", "cellphone"],
        .homePhone: ["homephone"],
        .corporatePhone: ["corporatephone"],
        .otherPhone: ["otherphone", "firstphone", "phone", "phonenumber", "telephone"],
        .linkedinURL: ["personlinkedinurl", "linkedinurl", "linkedin", "linkedinprofile", "linkedinprofileurl"],
        .city: ["city"],
        .state: ["state", "region", "province"],
        .country: ["country"],
        .timeZone: ["timezone"],
        .owner: ["contactowner", "owner", "leadowner"],
        .tags: ["lists", "tags", "labels"],
        .status: ["status", "leadstatus", "lifecyclestatus"],
        .companyName: ["companyname", "company", "organization", "organizationname", "accountname"],
        .companyDomain: ["website", "companywebsite", "companydomain", "domain", "websiteurl"],
        .companyLinkedinURL: ["companylinkedinurl", "companylinkedin"],
        .industry: ["industry"],
        .employees: ["employees", "numberofemployees", "employeecount", "companysize", "headcount"],
        .annualRevenue: ["annualrevenue", "revenue"],
        .companyPhone: ["companyphone"],
        .companyCity: ["companycity"],
        .companyState: ["companystate"],
        .companyCountry: ["companycountry"],
        // [I] Apollo's export documents no person-id column; "Apollo Record Id" is read as the person id.
        .apolloPersonID: ["apollorecordid", "apollopersonid", "apolloid", "personid"],
        .apolloContactID: ["apollocontactid"],
        .apolloAccountID: ["apolloaccountid"],
    ]

    static let byHeaderKey: [String: LeadColumn] = {
        var map: [String: LeadColumn] = [:]
        for (column, keys) in aliases {
            for key in keys { map[key] = column }
        }
        return map
    }()

    /// Folds a header for matching: case, spaces and punctuation do not matter ("Apollo Account  Id").
    public static func headerKey(_ header: String) -> String {
        String(header.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) })
    }
}
