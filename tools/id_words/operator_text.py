"""Bahasa Indonesia for the sentences the lower layers write for the operator (hmi.operator_text):
the engineer's connection Test answers, why a batch action or a release was refused, and the alarm
messages (banner, alarms dock, journal; the log and the API keep the English).
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
    # alarm messages (the services raise them; hmi.services.alarms stores template and values)
    "Sync failed {failures} times in a row (last: {last})":
        "Sinkronisasi gagal {failures} kali berturut-turut (terakhir: {last})",
    "Batch {batch} (MO {mo}) HELD: {reason}": "Batch {batch} (MO {mo}) DITAHAN: {reason}",
    "MO {mo} left out of the sync: {reason}": "MO {mo} tidak diikutkan dalam sinkronisasi: {reason}",
    "the PLC could not be asked whether it has the recipe; held, it is not downloaded again. It is asked again "
    "at every sync; if the PLC was reset, clear the table and release it":
        "PLC tidak dapat ditanya apakah resepnya sudah ada; ditahan, tidak dikirim ulang. PLC ditanya lagi di "
        "setiap sinkronisasi; bila PLC di-reset, kosongkan tabel dan lepas MO-nya",
    "written by the instance that served the line before (host {host}, PID {pid}), which may still be writing "
    "the PLC; held, it is asked about again at the next sync":
        "ditulis oleh instans yang melayani lini sebelumnya (host {host}, PID {pid}), yang mungkin masih menulis "
        "ke PLC; ditahan, ditanyakan lagi pada sinkronisasi berikutnya",
    "the PLC write of this batch had started when it was cut off, and the PLC shows nothing of it: it may have "
    "taken it and lost it (a reset). Held: check the PLC, then clear and release":
        "penulisan batch ini ke PLC sudah dimulai saat terputus, dan PLC tidak menunjukkan apa pun darinya: PLC "
        "mungkin sudah mengambilnya lalu kehilangannya (reset). Ditahan: periksa PLC, lalu kosongkan dan lepaskan",
    "This instance lost its line and stopped: {reason}":
        "Instans ini kehilangan lininya dan berhenti: {reason}",
    "the PLC holds only part of this download (it is missing from its slot); held, it is not downloaded again "
    "until an operator clears and releases it":
        "PLC hanya memegang sebagian dari kiriman ini (tidak ada di slotnya); ditahan, tidak dikirim ulang sampai "
        "operator mengosongkan tabel dan melepasnya",
    "the download could not be confirmed": "pengiriman ke PLC tidak dapat dipastikan",
    "{count} MO(s) on the Held list, not fetched until released: {names}":
        "{count} MO di daftar Ditahan, tidak diambil sampai dilepas: {names}",
    "The database does not answer, PLC readings are not stored: {error}":
        "Database tidak menjawab, pembacaan PLC tidak disimpan: {error}",
    "Completion paused, the database is not reachable: {error}":
        "Penyelesaian batch dijeda, database tidak terjangkau: {error}",
    "Batch {batch} (MO {mo}) FAILED on the PLC": "Batch {batch} (MO {mo}) GAGAL di PLC",
    "PLC {plc} offline: {error}": "PLC {plc} terputus: {error}",
    "PLC {plc} readings fail, the table is not current: {error}":
        "Pembacaan PLC {plc} gagal, tabel tidak terkini: {error}",
    "Batch {batch} (MO {mo}) STUCK: no PLC progress for more than {minutes} minutes":
        "Batch {batch} (MO {mo}) MACET: tidak ada kemajuan di PLC lebih dari {minutes} menit",
    "MO {mo} dosed outside tolerance: {silos}": "MO {mo} ditimbang di luar toleransi: {silos}",
    "silo {silo}: target {target} kg, actual {actual} kg, deviation {deviation} kg ({percent} %), allowed "
    "±{allowed} kg":
        "silo {silo}: target {target} kg, aktual {actual} kg, deviasi {deviation} kg ({percent} %), batas "
        "±{allowed} kg",
    "MO {mo} (batch {batch}) needs ATTENTION: {action} Odoo failed {tries} ({error}); not retried automatically: "
    "use Retry, Cancel in Odoo or Archive as failed on the batch":
        "MO {mo} (batch {batch}) perlu PERHATIAN: {action} Odoo gagal {tries} ({error}); tidak dicoba ulang "
        "otomatis: pakai Coba lagi, Batalkan di Odoo atau Arsipkan sebagai gagal pada batch ini",
    "reporting to": "laporan ke",
    "cancelling the failed batch in": "pembatalan batch gagal di",
    "OperatorText|once": "sekali",
    "OperatorText|{count} times": "{count} kali",
    # caps, refused readings and dosed-but-not-produced batches
    "No booking was named": "Tidak ada pembukuan yang disebut",
    "Not on this line's open booking list: {ids}": "Tidak ada di daftar pembukuan terbuka lini ini: {ids}",
    "MO {mo} is not retried: its final PLC reading was refused, so the stored figures are not what was dosed. "
    "Book what was dosed in Odoo, then Archive as failed":
        "MO {mo} tidak dicoba ulang: pembacaan akhir PLC ditolak, jadi angka yang tersimpan bukan yang ditakar. "
        "Bukukan yang ditakar di Odoo, lalu Arsipkan sebagai gagal",
    "MO {mo} left out of the sync: {reason}": "MO {mo} tidak diikutkan dalam sinkronisasi: {reason}",
    "Batch {batch} (MO {mo}) needs ATTENTION: its final PLC reading was refused: {reason}":
        "Batch {batch} (MO {mo}) perlu PERHATIAN: pembacaan akhir PLC ditolak: {reason}",
}
