# Messages for error codes, the same for the API and the pages.

error-unauthenticated = Se requiere iniciar sesión o un token válido.
error-bad-credentials = Usuario o contraseña incorrectos.
error-forbidden = No tiene permiso para realizar esta acción.
error-not-allowed = No tiene permiso para realizar esta acción.
error-not-found = No se encontró lo solicitado.
error-invalid-transition = Esta acción no es posible en el estado actual del ticket.
error-reopen-window-expired = El plazo para reabrir este ticket ya venció.
error-not-a-technician = La persona indicada no es un técnico activo.
error-stale-version = El ticket cambió mientras lo veía; revise su estado actual e intente de nuevo.
error-invalid-input = Hay datos inválidos en la solicitud.
error-duplicate = Ya existe un registro con ese identificador.
error-malformed-json = El cuerpo de la solicitud no es JSON válido.
error-unsupported-media-type = El cuerpo debe enviarse como application/json.
error-payload-too-large = La solicitud excede el tamaño máximo permitido.
error-bad-request = La solicitud no es válida.
error-upload-interrupted = El envío llegó incompleto o mal formado; inténtelo de nuevo.
error-body-too-slow = El envío llegaba demasiado lento y se interrumpió; inténtelo de nuevo (para archivos grandes, use multipart).
error-busy = El servidor está recibiendo otros envíos grandes; inténtelo de nuevo en unos segundos.
error-too-many-attempts = Demasiados intentos fallidos. Espere unos minutos e intente de nuevo.
error-method-not-allowed = Este recurso no admite ese método.
error-other = Ocurrió un error inesperado.

# One field's problem.
problem-required = Es obligatorio.
problem-unknown = No existe.
problem-too-long = Es demasiado largo.
problem-not-a-number = Debe ser un número.
problem-not-a-text = Debe ser un texto válido.
problem-not-a-date = Debe ser una fecha AAAA-MM-DD.
problem-not-an-option = No es una de las opciones.
problem-out-of-range = Está fuera del rango permitido.
problem-too-many = Ya hay el máximo permitido: quite uno antes de añadir otro.
problem-low-contrast = Es demasiado claro: no se leería como texto sobre la página ni bajo texto blanco (mínimo 4.5:1). Elija un color más oscuro.
problem-not-hours = Deben ser rangos HH:MM-HH:MM separados por comas, en orden y sin traslaparse (vacío: no se trabaja; 24:00 es medianoche).
problem-not-a-holiday = Cada línea: una fecha (MM-DD cada año, AAAA-MM-DD una sola vez, o Pascua-3, Pascua+1… desde el Domingo de Pascua), una hora opcional desde la que no se trabaja, y el nombre.
problem-unchanged = Es lo que ya tiene: no hay nada que corregir.
problem-in-use = Está en uso: quítelo primero de donde se usa.
problem-other = Es inválido.

# Refused files.
refusal-file-too-large = El archivo «{ $file }» supera el límite de { $limit } por archivo.
refusal-request-too-large = Los archivos superan el límite de { $limit } por envío.
refusal-too-many-files = Se admiten como máximo { $limit } archivos por envío.
refusal-unsupported-type = El archivo «{ $file }» no es de un tipo admitido. Se admiten: { $allowed }.
refusal-empty = El archivo «{ $file }» está vacío.
kind-text = texto (TXT)
