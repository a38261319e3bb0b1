"""Bahasa Indonesia for the sentences the lower layers write for the operator (hmi.operator_text):
the engineer's connection Test answers and why a batch action or a release was refused.
Names, addresses and a driver's own error text inside them stay as they are."""

WORDS = {
    # PLC Test button
    "{where} refused the connection (nothing listens on port {port})":
        "{where} menolak koneksi (tidak ada yang mendengarkan di port {port})",
    "{where} did not answer within {seconds} s (switched off, wrong address or a firewall)":
        "{where} tidak menjawab dalam {seconds} dtk (mati, alamat salah atau terhalang firewall)",
    "{where} is unreachable: no route to the host": "{where} tidak terjangkau: tidak ada rute ke host",
    "{where}: {reason}": "{where}: {reason}",
    "{where} accepted TCP but the Modbus connection failed":
        "{where} menerima TCP tetapi koneksi Modbus gagal",
    "{where} answered with Modbus error {error} for unit {unit}, register {address}":
        "{where} menjawab dengan galat Modbus {error} untuk unit {unit}, register {address}",
    "{where} answered: unit {unit}, handshake word {address} = {value}":
        "{where} menjawab: unit {unit}, word handshake {address} = {value}",
    "{where} accepted the connection but unit {unit} did not answer a read ({error})":
        "{where} menerima koneksi tetapi unit {unit} tidak menjawab pembacaan ({error})",
    "{where} did not open a FINS session: {reason}": "{where} tidak membuka sesi FINS: {reason}",
    "{where} answered: handshake word D{address} = {value}":
        "{where} menjawab: word handshake D{address} = {value}",
    "{where} did not answer a FINS read of D{address} ({reason})":
        "{where} tidak menjawab pembacaan FINS D{address} ({reason})",
    # Odoo Test button
    "Odoo {url}: {reason}": "Odoo {url}: {reason}",
    "Odoo at {url}": "Odoo di {url}",
    "{name} answered; signed in as uid {uid}; 1 MO ready": "{name} menjawab; masuk sebagai uid {uid}; 1 MO siap",
    "{name} answered; signed in as uid {uid}; {count} MOs ready":
        "{name} menjawab; masuk sebagai uid {uid}; {count} MO siap",
    # batch actions and releases refused
    "A release needs a reason (what was checked on the PLC)":
        "Pelepasan perlu alasan (apa yang sudah dicek di PLC)",
    "No MO to release was named": "Tidak ada MO yang disebut untuk dilepas",
    "Not on the Held list: {mos}": "Tidak ada di daftar Ditahan: {mos}",
    "MO {mo} is not in the batch table": "MO {mo} tidak ada di tabel batch",
    "MO {mo} is {state}; this action is for {states} batches":
        "MO {mo} berstatus {state}; aksi ini untuk batch {states}",
    "Odoo did not cancel MO {mo}: {reason}": "Odoo tidak membatalkan MO {mo}: {reason}",
    # hand-added components refused
    "{product}: {text} is not a number of kg": "{product}: {text} bukan angka kg",
    "{product}: the weighed amount must be a number of kg, got {value}":
        "{product}: hasil timbang harus angka kg, bukan {value}",
    "{product}: the weighed amount must be a finite number, got {value}":
        "{product}: hasil timbang harus angka yang wajar, bukan {value}",
    "{product}: the weighed amount cannot be negative ({kg} kg)":
        "{product}: hasil timbang tidak boleh negatif ({kg} kg)",
    "{product}: {kg} kg is implausible for a target of {target} kg (at most {limit} kg); weigh it again":
        "{product}: {kg} kg tidak masuk akal untuk target {target} kg (paling banyak {limit} kg); timbang ulang",
    "MO {mo} has no open hand-added component with product id {product_id}":
        "MO {mo} tidak punya bahan manual terbuka dengan id produk {product_id}",
    "{product}: enter the weighed amount, or accept the target":
        "{product}: isi hasil timbang, atau terima sesuai target",
    "{reason}; the confirmation was not stored": "{reason}; konfirmasi tidak disimpan",
}
