"""The roles people hold in openleave. A person may hold several (a supervisor is also an employee)."""

EMPLOYEE = "employee"
SUPERVISOR = "supervisor"
HR = "hr"  # Appointing Authority / HR leave administrator
MEDICAL = "medical"  # medical (FMLA) coordinator
STEWARD = "steward"  # union steward
AUDITOR = "auditor"
SYSADMIN = "sysadmin"

ALL = (EMPLOYEE, SUPERVISOR, HR, MEDICAL, STEWARD, AUDITOR, SYSADMIN)

LABELS = {
    EMPLOYEE: "Employee",
    SUPERVISOR: "Supervisor",
    HR: "Appointing Authority / HR leave administrator",
    MEDICAL: "Medical (FMLA) coordinator",
    STEWARD: "Union steward",
    AUDITOR: "Auditor",
    SYSADMIN: "System administrator",
}

# Why each role may read personal data (recorded in the access log as the purpose).
PURPOSES = {
    EMPLOYEE: "own record",
    SUPERVISOR: "supervision of direct reports (Art. 8, 9: scheduling and approving leave)",
    HR: "leave administration for the Appointing Authority",
    MEDICAL: "FMLA and medical certification (Sec. 8.7.2, App. D-1/D-2)",
    STEWARD: "representation authorised by the employee (Art. 23, Sec. 24.1)",
    AUDITOR: "audit (read only)",
    SYSADMIN: "system administration",
}
