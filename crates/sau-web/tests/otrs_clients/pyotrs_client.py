"""Drives SAU's OTRS-compatible API with pyotrs (PyPI), exactly as an
integration written for OTRS would: sign in, create a ticket with an
attachment and dynamic fields, read it back with every flag, search,
update it with an article, read its history. Prints what it saw as JSON;
any surprise raises and exits non-zero.

Usage: python3 pyotrs_client.py http://127.0.0.1:PORT
"""

import base64
import json
import sys

from pyotrs import Article, Attachment, Client, DynamicField, Ticket

BASE = sys.argv[1]
FILE = "Modelo HP LaserJet 400, serie CNB1234\n".encode()


def client(login):
    c = Client(BASE, login, login)
    # Non-legacy first (OTRS 8's AccessToken), then SessionID: what pyotrs
    # does against any OTRS 6 or Znuny.
    assert c.session_create(), f"{login} signs in"
    return c


agent = client("soporte")
ticket = Ticket.create_basic(
    Title="La impresora del tercer piso no imprime",
    Queue="Soporte Técnico",
    Type="soporte_equipo",
    State="new",
    Priority="3 normal",
    CustomerUser="solicitante",
)
article = Article({"Subject": "La impresora del tercer piso no imprime",
                   "Body": "Sale la hoja en blanco."})
attachment = Attachment.create_basic(
    Content=base64.b64encode(FILE).decode(), ContentType="text/plain", Filename="modelo.txt")
fields = [DynamicField("numero_inventario", "INV-0042"), DynamicField("ubicacion", "Piso 3")]
created = agent.ticket_create(ticket, article, attachments=[attachment], dynamic_fields=fields)
ticket_id = int(created["TicketID"])
number = created["TicketNumber"]

got = agent.ticket_get_by_id(ticket_id, articles=True, attachments=True, dynamic_fields=True)
assert got.field_get("Title") == "La impresora del tercer piso no imprime", got.fields
assert got.field_get("State") == "new"
assert got.field_get("TicketNumber") == number
assert got.dynamic_field_get("numero_inventario").value == "INV-0042"
assert len(got.articles) == 1, got.articles
first = got.articles[0]
assert first.field_get("Body") == "Sale la hoja en blanco."
assert len(first.attachments) == 1
assert base64.b64decode(first.attachments[0].Content) == FILE
assert agent.ticket_get_by_id(ticket_id).field_get("TicketID") == str(ticket_id)

found_title = agent.ticket_search(Title="%tercer piso%")
found_open = agent.ticket_search(StateType="Open", Queues=["Soporte Técnico"])
found_text = agent.ticket_search_full_text("impresora")
by_number = agent.ticket_get_by_number(number)
assert by_number.tid == ticket_id
assert agent.ticket_search(Title="%nada parecido%") == []

note = Article({"Subject": "Asignado", "Body": "Va Teresa con un tóner.",
                "IsVisibleForCustomer": 0})
assert agent.ticket_update(ticket_id, article=note, Owner="tecnico", Priority="4 high")
after = agent.ticket_get_by_id(ticket_id, articles=True)
assert after.field_get("Owner") == "tecnico"
assert after.field_get("Lock") == "lock"
assert after.field_get("State") == "open"
assert after.field_get("Priority") == "4 high"
assert len(after.articles) == 2

history = agent.ticket_history_get_by_id(ticket_id)
kinds = [line["HistoryType"] for line in history["History"]]

# The requester, as a customer user: their ticket, never the internal note.
customer = Client(BASE, "solicitante", "solicitante", customer_user=True)
assert customer.session_create()
seen = customer.ticket_get_by_id(ticket_id, articles=True)
assert len(seen.articles) == 1, seen.articles

# A session kept on disk is found again.
assert agent.session_get(agent.session_id_store.value)

print(json.dumps({
    "ticket_id": ticket_id,
    "number": number,
    "found_title": found_title,
    "found_open": found_open,
    "found_text": found_text,
    "history": kinds,
    "customer_articles": len(seen.articles),
}))
