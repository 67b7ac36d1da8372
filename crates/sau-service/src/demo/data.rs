//! What the demo requests say: who asks, for what, and how far each got.

/// People who only ask, one in each department the demo users do not cover.
pub(super) const DEMO_REQUESTERS: &[(&str, &str, &str)] = &[
    ("mgarcia", "Marta García", "DF"),
    ("jlopez", "Julio López", "DS"),
    ("cramirez", "Carla Ramírez", "DTI"),
];

/// How the desk reaches the demo's requesters: login, phone, extension, office.
pub(super) const DEMO_CONTACTS: &[(&str, &str, &str, &str)] = &[
    (
        "solicitante",
        "2220-4410",
        "4410",
        "Edificio central, 2.º nivel, oficina 204",
    ),
    (
        "mgarcia",
        "2220-4532",
        "4532",
        "Edificio anexo, 1.er nivel, Contabilidad",
    ),
    (
        "jlopez",
        "5512-0987",
        "1001",
        "Despacho Superior, 4.º nivel",
    ),
    (
        "cramirez",
        "2220-4100",
        "4100",
        "Edificio central, sótano, centro de datos",
    ),
];

/// How far a demo request got through the procedure.
#[derive(Debug, Clone, Copy)]
pub(super) enum Reached {
    New,
    Assigned,
    InProgress,
    OnHold,
    Resolved,
    Closed,
    /// Returned once by the dispatcher, then resolved again and closed.
    ReturnedThenClosed,
    Cancelled,
}

/// One demo request: what was asked, by whom, and where it stands.
pub(super) struct Demo {
    pub(super) category: &'static str,
    pub(super) title: &'static str,
    pub(super) description: &'static str,
    pub(super) fields: &'static [(&'static str, &'static str)],
    pub(super) requester: &'static str,
}

pub(super) const DEMOS: &[Demo] = &[
    Demo {
        category: "soporte_equipo",
        title: "La computadora no enciende",
        description: "Desde esta mañana el equipo no da señal; el botón de encendido parpadea en naranja.",
        fields: &[
            ("numero_inventario", "INV-0412"),
            ("ubicacion", "Edificio A, piso 2, oficina 204"),
        ],
        requester: "solicitante",
    },
    Demo {
        category: "soporte_equipo",
        title: "Impresora atasca las hojas",
        description: "La impresora del pasillo atasca cada tercera hoja y marca error E-13.",
        fields: &[
            ("numero_inventario", "INV-0877"),
            ("ubicacion", "Edificio B, piso 1, pasillo"),
        ],
        requester: "mgarcia",
    },
    Demo {
        category: "soporte_equipo",
        title: "Monitor con líneas verticales",
        description: "El monitor muestra líneas verdes verticales desde que se movió el escritorio.",
        fields: &[
            ("numero_inventario", "INV-1033"),
            ("ubicacion", "Despacho Superior, recepción"),
        ],
        requester: "jlopez",
    },
    Demo {
        category: "soporte_equipo",
        title: "Equipo muy lento al iniciar",
        description: "Tarda más de diez minutos en mostrar el escritorio de Windows.",
        fields: &[
            ("numero_inventario", "INV-0290"),
            ("ubicacion", "Edificio A, piso 3, oficina 310"),
        ],
        requester: "cramirez",
    },
    Demo {
        category: "soporte_equipo",
        title: "Proyector de la sala de juntas sin imagen",
        description: "El proyector enciende pero no recibe la señal de la laptop por HDMI.",
        fields: &[
            ("numero_inventario", "INV-1502"),
            ("ubicacion", "Sala de juntas, piso 4"),
        ],
        requester: "solicitante",
    },
    Demo {
        category: "soporte_equipo",
        title: "Teclado con teclas que no responden",
        description: "Las teclas A, S y D no escriben.",
        fields: &[
            ("numero_inventario", "INV-0655"),
            ("ubicacion", "Dirección Financiera, caja 2"),
        ],
        requester: "mgarcia",
    },
    Demo {
        category: "soporte_equipo",
        title: "Laptop no se conecta a la red inalámbrica",
        description: "Dice «sin acceso a Internet» solo en el tercer piso.",
        fields: &[
            ("numero_inventario", "INV-1188"),
            ("ubicacion", "Edificio A, piso 3"),
        ],
        requester: "jlopez",
    },
    Demo {
        category: "soporte_equipo",
        title: "Escáner no aparece en el equipo",
        description: "Necesito escanear expedientes y el equipo no detecta el escáner.",
        fields: &[
            ("numero_inventario", "INV-0934"),
            ("ubicacion", "Archivo central"),
        ],
        requester: "solicitante",
    },
    Demo {
        category: "telefonia",
        title: "Extensión sin tono",
        description: "La extensión no tiene tono desde el lunes.",
        fields: &[("extension", "2145"), ("tarea", "reparacion")],
        requester: "solicitante",
    },
    Demo {
        category: "telefonia",
        title: "Nueva extensión para la recepción",
        description: "Se contrató una recepcionista y necesita extensión propia.",
        fields: &[("extension", "2300"), ("tarea", "nueva_extension")],
        requester: "jlopez",
    },
    Demo {
        category: "telefonia",
        title: "Trasladar extensión a otra oficina",
        description: "Me cambian a la oficina 108; quiero conservar mi número.",
        fields: &[("extension", "2211"), ("tarea", "traslado")],
        requester: "mgarcia",
    },
    Demo {
        category: "telefonia",
        title: "Desvío de llamadas durante vacaciones",
        description: "Desviar mi extensión a la de mi asistente del 10 al 24.",
        fields: &[("extension", "2019"), ("tarea", "desvio")],
        requester: "cramirez",
    },
    Demo {
        category: "telefonia",
        title: "Teléfono con ruido en la línea",
        description: "Se escucha estática fuerte en todas las llamadas.",
        fields: &[("extension", "2407"), ("tarea", "reparacion")],
        requester: "solicitante",
    },
    Demo {
        category: "telefonia",
        title: "Configurar buzón de voz",
        description: "No sé cómo activar el buzón de voz de mi extensión.",
        fields: &[("extension", "2133"), ("tarea", "otra")],
        requester: "mgarcia",
    },
    Demo {
        category: "creacion_usuario",
        title: "Usuario de SIGES para nueva contadora",
        description: "Ingresa el lunes una contadora a la Dirección Financiera.",
        fields: &[
            ("sistema", "SIGES"),
            ("nombre_completo", "Lucía Fernanda Ortiz"),
            ("usuario_deseado", "lortiz"),
            ("fecha_inicio", "2026-12-01"),
        ],
        requester: "mgarcia",
    },
    Demo {
        category: "creacion_usuario",
        title: "Cuenta de correo para practicante",
        description: "Practicante del Despacho Superior por seis meses.",
        fields: &[
            ("sistema", "Correo"),
            ("nombre_completo", "Diego Armando Sosa"),
            ("usuario_deseado", "dsosa"),
            ("fecha_inicio", "2026-11-16"),
        ],
        requester: "jlopez",
    },
    Demo {
        category: "creacion_usuario",
        title: "Acceso a Guatecompras para analista",
        description: "Analista de compras necesita usuario institucional.",
        fields: &[
            ("sistema", "Guatecompras"),
            ("nombre_completo", "Andrea Lucía Méndez"),
            ("usuario_deseado", "amendez"),
            ("fecha_inicio", "2026-11-23"),
        ],
        requester: "solicitante",
    },
    Demo {
        category: "creacion_usuario",
        title: "Usuario de nómina para nuevo auxiliar",
        description: "Auxiliar de Recursos Humanos, inicia este mes.",
        fields: &[
            ("sistema", "Nómina"),
            ("nombre_completo", "Pedro Pablo Cifuentes"),
            ("usuario_deseado", "pcifuentes"),
            ("fecha_inicio", "2026-12-07"),
        ],
        requester: "solicitante",
    },
    Demo {
        category: "creacion_usuario",
        title: "Cuenta de VPN para trabajo remoto",
        description: "Autorizado teletrabajo dos días por semana.",
        fields: &[
            ("sistema", "VPN"),
            ("nombre_completo", "Carla Ramírez"),
            ("usuario_deseado", "cramirez"),
            ("fecha_inicio", "2026-11-30"),
        ],
        requester: "cramirez",
    },
    Demo {
        category: "reinicio_clave",
        title: "Olvidé la clave del correo",
        description: "No recuerdo la contraseña después de las vacaciones.",
        fields: &[("sistema", "Correo"), ("usuario", "aperez")],
        requester: "solicitante",
    },
    Demo {
        category: "reinicio_clave",
        title: "Clave de SIGES bloqueada",
        description: "Se bloqueó tras tres intentos fallidos.",
        fields: &[("sistema", "SIGES"), ("usuario", "mgarcia")],
        requester: "mgarcia",
    },
    Demo {
        category: "reinicio_clave",
        title: "No puedo entrar a la VPN",
        description: "Dice que mi contraseña expiró.",
        fields: &[("sistema", "VPN"), ("usuario", "jlopez")],
        requester: "jlopez",
    },
    Demo {
        category: "reinicio_clave",
        title: "Reinicio de clave de Windows",
        description: "Cambié la clave el viernes y no la recuerdo.",
        fields: &[("sistema", "Windows"), ("usuario", "cramirez")],
        requester: "cramirez",
    },
    Demo {
        category: "reinicio_clave",
        title: "Clave del sistema de nómina",
        description: "Debo cerrar la planilla hoy y no puedo ingresar.",
        fields: &[("sistema", "Nómina"), ("usuario", "aperez")],
        requester: "solicitante",
    },
    Demo {
        category: "requerimiento",
        title: "Acceso a carpeta compartida de Auditoría",
        description: "Adjunto el oficio firmado por la dirección.",
        fields: &[("referencia", "OF-DRH-2026-311")],
        requester: "solicitante",
    },
    Demo {
        category: "requerimiento",
        title: "Instalación de software de firma electrónica",
        description: "Según oficio adjunto, instalar el cliente de firma en tres equipos.",
        fields: &[("referencia", "OF-DF-2026-088")],
        requester: "mgarcia",
    },
    Demo {
        category: "requerimiento",
        title: "Alta en el sistema de correspondencia",
        description: "El despacho solicita acceso para dos asistentes; va el oficio.",
        fields: &[("referencia", "OF-DS-2026-045")],
        requester: "jlopez",
    },
    Demo {
        category: "requerimiento",
        title: "Respaldo de buzón de exfuncionario",
        description: "Solicitamos respaldo del correo antes de dar de baja la cuenta.",
        fields: &[("referencia", "OF-DTI-2026-019")],
        requester: "cramirez",
    },
];

/// Where each of the demo requests stands, in [`DEMOS`]' order and then once
/// more from the start, so every category passes through several states.
pub(super) const REACHED: &[Reached] = &[
    Reached::Closed,
    Reached::InProgress,
    Reached::New,
    Reached::Resolved,
    Reached::Closed,
    Reached::OnHold,
    Reached::Assigned,
    Reached::ReturnedThenClosed,
    Reached::Closed,
    Reached::Cancelled,
    Reached::New,
    Reached::Closed,
    Reached::InProgress,
    Reached::Resolved,
];

/// A one-page PDF: "Oficio".
pub(super) const DEMO_PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj\n4 0 obj<</Length 44>>stream\nBT /F1 24 Tf 72 700 Td (Oficio) Tj ET\nendstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

/// The demo's canned responses: category key ("" for all), title, where they
/// are used, text.
pub(super) const DEMO_RESPONSES: &[(&str, &str, &str, &str)] = &[
    (
        "",
        "Recibida: la estamos revisando",
        "comment",
        "Buen día:\nRecibimos su solicitud y ya la estamos revisando. Le avisaremos por este medio en cuanto tengamos novedades.",
    ),
    (
        "",
        "Necesitamos más datos",
        "comment",
        "Para continuar necesitamos:\n- el número de inventario del equipo\n- una foto del mensaje de error\nPuede adjuntarlos respondiendo a esta solicitud.",
    ),
    (
        "soporte_equipo",
        "Cola de impresión reiniciada",
        "resolution",
        "Se reinició el servicio de cola de impresión, se vaciaron los trabajos atascados y se imprimió una página de prueba con el usuario.",
    ),
    (
        "reinicio_clave",
        "Clave restablecida",
        "resolution",
        "Se restableció la contraseña. Al iniciar sesión el sistema le pedirá una nueva: use al menos 12 caracteres y no repita las anteriores.",
    ),
    (
        "telefonia",
        "Extensión revisada",
        "both",
        "Se revisó la extensión en la central telefónica y se hizo una llamada de prueba en ambos sentidos.",
    ),
];
