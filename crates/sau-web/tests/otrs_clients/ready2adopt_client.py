"""A second, independently written client: Python's own urllib against the
Ready2Adopt routes of Znuny's example web service (POST /Ticket/Search,
GET /Ticket/History/:TicketID, DELETE /Session/:SessionID). Prints what it
saw as JSON; any surprise raises and exits non-zero.

Usage: python3 ready2adopt_client.py http://127.0.0.1:PORT
"""

import json
import sys
import urllib.request

BASE = sys.argv[1] + "/znuny/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST"


def call(method, route, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + route, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        assert response.status == 200, response.status
        return json.loads(response.read())


session = call("POST", "/Session", {"UserLogin": "soporte", "Password": "soporte"})["SessionID"]
created = call("POST", "/Ticket", {
    "SessionID": session,
    "Ticket": {"Title": "Clave del correo vencida", "QueueID": "1", "Type": "reinicio_clave",
               "StateID": "1", "PriorityID": "2", "CustomerUser": "solicitante"},
    "Article": {"Subject": "Clave vencida", "Body": "No puedo entrar al correo.",
                "ContentType": "text/plain; charset=utf-8"},
    "DynamicField": [{"Name": "sistema", "Value": "Correo"}, {"Name": "usuario", "Value": "aperez"}],
})
ticket_id = created["TicketID"]
got = call("GET", f"/Ticket/{ticket_id}?SessionID={session}&AllArticles=1&DynamicFields=1")
ticket = got["Ticket"][0]
assert ticket["Priority"] == "2 low", ticket
assert {"Name": "sistema", "Value": "Correo"} in ticket["DynamicField"], ticket["DynamicField"]
search = call("POST", "/Ticket/Search", {"SessionID": session, "Types": ["Reinicio de clave"],
                                         "StateType": "Open"})
assert ticket_id in search["TicketID"], search
updated = call("PATCH", f"/Ticket/{ticket_id}", {
    "SessionID": session,
    "Ticket": {"OwnerID": "3"},
    "Article": {"Subject": "Asignado", "Body": "Se reinicia hoy.", "ContentType": "text/plain",
                "IsVisibleForCustomer": 1},
})
assert "ArticleID" in updated, updated
history = call("GET", f"/Ticket/History/{ticket_id}?SessionID={session}")["TicketHistory"][0]
removed = call("DELETE", f"/Session/{session}", {"UserLogin": "soporte", "Password": "soporte"})
assert removed == {"Success": 1}, removed
after = call("GET", f"/Ticket/{ticket_id}?SessionID={session}")
assert after["Error"]["ErrorCode"] == "TicketGet.AuthFail", after

print(json.dumps({
    "ticket_id": ticket_id,
    "found": search["TicketID"],
    "history": [line["HistoryType"] for line in history["History"]],
}))
