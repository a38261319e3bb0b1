"""Bahasa Indonesia for the dialogs: batch details, the Clear and close questions, the per-batch actions,
the settings in effect, About, Held MOs, Silos, the hand-added checklist, the tolerance words and the ages
(source text -> translation).

OPEN, CONFIRMED and OUTSIDE stay as the batch table's cells show them (see window.py); the sentence around
them is Indonesian. CLEARED is said as the history shows it (DIKOSONGKAN)."""

WORDS = {
    # Clear question
    "Clear the batch table": "Kosongkan tabel batch",
    "Clear the batch table?": "Kosongkan tabel batch?",
    "{batches} will be moved to the history as CLEARED (nothing is deleted) and the PLC's waiting recipes are "
    "blanked.":
        "{batches} akan dipindahkan ke riwayat sebagai DIKOSONGKAN (tidak ada yang dihapus) dan resep yang menunggu "
        "di PLC dikosongkan.",
    "{count} the PLC finished or failed stay in the table until Odoo has their report (what they dosed is not "
    "lost):\n{mos}":
        "{count} yang sudah diselesaikan atau digagalkan PLC tetap di tabel sampai laporannya diterima Odoo (yang "
        "sudah didosis tidak hilang):\n{mos}",
    "A batch the PLC was seen dosing is held all the same. The others are released on your word: check at the "
    "mixer that none of them ran while nobody read the PLC.":
        "Batch yang terlihat sedang didosis PLC tetap ditahan. Yang lain dilepas atas keputusan Anda: periksa di "
        "mixer bahwa tidak ada yang berjalan selama PLC tidak dibaca.",
    "Clear and hold the MOs": "Kosongkan dan tahan MO",
    "Clear and release — the PLC was reset": "Kosongkan dan lepas — PLC sudah di-reset",
    "{shown} and {more} more": "{shown} dan {more} lainnya",
    "{batches} will be moved to the history as CLEARED (nothing is deleted), the PLC's waiting recipes are "
    "blanked, and the table will be empty for the next sync.":
        "{batches} akan dipindah ke riwayat sebagai DIKOSONGKAN (tidak ada yang dihapus), resep yang menunggu di PLC "
        "dikosongkan, dan tabel kosong untuk sinkronisasi berikutnya.",
    "These MOs reached the PLC, which may still hold or dose them. They will be HELD: not fetched again until a "
    "supervisor releases them from the Held list:\n{mos}":
        "MO ini sudah sampai ke PLC, yang mungkin masih menyimpan atau menimbangnya. MO ini akan DITAHAN: tidak "
        "diambil lagi sampai supervisor melepasnya dari daftar MO Ditahan:\n{mos}",
    "Only if the PLC was reset and holds none of them: choose \"{release}\".":
        "Hanya jika PLC sudah di-reset dan tidak menyimpan satu pun: pilih \"{release}\".",
    # Qt's own buttons (no Indonesian qtbase in the wheel)
    "&Yes": "&Ya",
    "&No": "&Tidak",
    # close question
    "Close Batch HMI": "Tutup Batch HMI",
    "Close Batch HMI?\n\nWhile it is closed, nobody reads the PLC and nothing is reported to Odoo: batches the "
    "PLC finishes wait until Batch HMI is started again, and no new MOs are downloaded.":
        "Tutup Batch HMI?\n\nSelama ditutup, tidak ada yang membaca PLC dan tidak ada laporan ke Odoo: batch yang "
        "diselesaikan PLC menunggu sampai Batch HMI dijalankan lagi, dan tidak ada MO baru yang dikirim ke PLC.",
    # per-batch actions
    "Retry": "Coba lagi",
    "Cancel in Odoo…": "Batalkan di Odoo…",
    "Archive as failed…": "Arsipkan sebagai gagal…",
    "Cancel MO {mo} in Odoo?\n\nThe MO is cancelled in Odoo and the batch is archived as cancelled. Do this only "
    "when the PLC will not dose it (any more).":
        "Batalkan MO {mo} di Odoo?\n\nMO dibatalkan di Odoo dan batch diarsipkan sebagai batal. Lakukan ini hanya "
        "bila PLC tidak akan (lagi) menimbangnya.",
    "Archive MO {mo} as failed?\n\nThe batch leaves the table and its MO is HELD: it is not fetched again until a "
    "supervisor releases it. The MO stays open in Odoo; close it there.":
        "Arsipkan MO {mo} sebagai gagal?\n\nBatch keluar dari tabel dan MO-nya DITAHAN: tidak diambil lagi sampai "
        "supervisor melepasnya. MO tetap terbuka di Odoo; tutup di sana.",
    "Batch {batch}": "Batch {batch}",
    "DONE": "SELESAI",
    " or ": " atau ",
    "Only for {states} batches; this one is {state}": "Hanya untuk batch {states}; batch ini {state}",
    # About
    "Takes Manufacturing Orders from Odoo, writes their recipes to the batching PLC, follows the dosing and "
    "reports the actual consumption per silo back to Odoo.":
        "Mengambil Manufacturing Order (MO) dari Odoo, mengirim resepnya ke PLC batching, mengikuti penimbangan "
        "dan melaporkan pemakaian aktual per silo kembali ke Odoo.",
    "Every action is a button on the toolbar; a row's details are on the Details button or a long press on the "
    "row.":
        "Setiap aksi ada tombolnya di bilah alat; rincian satu baris ada di tombol Rincian atau dengan menekan "
        "lama baris itu.",
    "Keys for a keyboard: F5 Trigger sync · F6 Pause/Resume auto-sync · Ctrl+Shift+Del Clear table · Enter "
    "Details · Ctrl+, Settings · F1 About · Ctrl+Q Quit":
        "Tombol keyboard: F5 Sinkronkan · F6 Jeda/Lanjut otomatis · Ctrl+Shift+Del Kosongkan tabel · Enter "
        "Rincian · Ctrl+, Pengaturan · F1 Tentang · Ctrl+Q Tutup aplikasi",
    # settings in effect (names, values and each setting's meaning stay as the configuration writes them)
    "Settings in effect": "Pengaturan yang berlaku",
    "Settings file: {path}": "Berkas pengaturan: {path}",
    "No settings file found; built-in defaults, .env and environment apply.":
        "Tidak ada berkas pengaturan; berlaku nilai bawaan, .env dan variabel lingkungan.",
    "Secrets are masked. Change them in settings.ini or the environment and restart.":
        "Rahasia disamarkan. Ubah di settings.ini atau variabel lingkungan lalu jalankan ulang.",
    "Setting": "Pengaturan",
    "Value": "Nilai",
    "From": "Dari",
    "Meaning": "Arti (bhs. Inggris)",
    "default": "bawaan",
    "environment": "lingkungan",
    "demo": "demo",
    # batch details
    "Batch {batch} — {mo}": "Batch {batch} — {mo}",
    "Batch {batch}, line {line}, state <b>{state}</b>": "Batch {batch}, lini {line}, status <b>{state}</b>",
    "Last PLC reading: {time}": "Bacaan PLC terakhir: {time}",
    "<b>The PLC is not answering: the values below are the last ones read and may be out of date.</b>":
        "<b>PLC tidak menjawab: nilai di bawah adalah bacaan terakhir dan mungkin sudah tidak terkini.</b>",
    "Held: {reason}": "Ditahan: {reason}",
    "On the PLC as: {key}": "Di PLC sebagai: {key}",
    "<b>Odoo did not take the report of this batch; it is not retried automatically.</b> Odoo's answer:":
        "<b>Odoo tidak menerima laporan batch ini; tidak dicoba ulang otomatis.</b> Jawaban Odoo:",
    "Last push error: {error}": "Galat kirim terakhir: {error}",
    "Dosing tolerance: <b>within</b>": "Toleransi penimbangan: <b>masuk</b>",
    "Dosing tolerance: <b>⚠ OUTSIDE</b> (silo {silos}); the actuals go to Odoo as dosed":
        "Toleransi penimbangan: <b>⚠ OUTSIDE</b> (silo {silos}); nilai aktual tetap dikirim ke Odoo apa adanya",
    "Silo": "Silo",
    "Component": "Bahan",
    "Progress": "Kemajuan",
    "Tolerance": "Toleransi",
    "Total": "Total",
    "within": "masuk",
    "BY HAND": "MANUAL",
    "OPEN": "OPEN",
    "OUTSIDE": "OUTSIDE",
    "{percent} % dosed": "{percent} % tertimbang",
    # Held MOs
    "Held MOs": "MO Ditahan",
    "These MOs reached the PLC and left the batch table without being completed (cleared, or archived as "
    "failed). The PLC may have dosed them, so they are not fetched from Odoo again.\nCheck the PLC, then select "
    "the MOs it did not dose, say what you checked, and release them: the next sync may download them again.":
        "MO ini sudah sampai ke PLC lalu keluar dari tabel batch sebelum selesai (dikosongkan, atau diarsipkan "
        "sebagai gagal). PLC mungkin sudah menimbangnya, jadi MO ini tidak diambil lagi dari Odoo.\nPeriksa PLC, "
        "pilih MO yang tidak ditimbang, tulis apa yang Anda periksa, lalu lepaskan: sinkronisasi berikutnya bisa "
        "mengirimnya lagi ke PLC.",
    "Held since": "Ditahan sejak",
    "Held by": "Ditahan oleh",
    "Why": "Alasan",
    "What you checked, e.g. \"PLC slot empty, batch not started\"":
        "Apa yang diperiksa, mis. \"slot PLC kosong, batch belum mulai\"",
    "&Reason:": "A&lasan:",
    "Release selected": "Lepas yang dipilih",
    "Select the MOs to release": "Pilih MO yang akan dilepas",
    "Say what you checked on the PLC (the reason is logged with your name)":
        "Tulis apa yang Anda periksa di PLC (alasan dicatat dengan nama Anda)",
    "The sync may fetch and download the selected MOs again":
        "Sinkronisasi bisa mengambil dan mengirim lagi MO yang dipilih",
    "No MO is held.": "Tidak ada MO yang ditahan.",
    "The Held list could not be read: {error}": "Daftar MO Ditahan tidak dapat dibaca: {error}",
    "Not released: {reason}": "Tidak dilepas: {reason}",
    "Release failed: {error}": "Pelepasan gagal: {error}",
    "Released: {mos}. The next sync may download them again.":
        "Dilepas: {mos}. Sinkronisasi berikutnya bisa mengirimnya lagi ke PLC.",
    # the manual-booking list under the Held MOs
    "Dosed, not booked in Odoo: what the PLC dosed for batches that failed, were cancelled or cleared. Odoo's "
    "raw-material stock does not know it. Book it in Odoo (scrap or an inventory adjustment), then mark it booked "
    "here.":
        "Sudah ditakar, belum dibukukan di Odoo: yang ditakar PLC untuk batch yang gagal, dibatalkan atau "
        "dikosongkan. Stok bahan baku di Odoo belum mengetahuinya. Bukukan di Odoo (scrap atau penyesuaian "
        "persediaan), lalu tandai sudah dibukukan di sini.",
    "Outcome": "Hasil",
    "Dosed (kg)": "Ditakar (kg)",
    "Recorded": "Dicatat",
    "Note": "Catatan",
    "Mark selected booked in Odoo": "Tandai yang dipilih sudah dibukukan di Odoo",
    "The booking list could not be read: {error}": "Daftar pembukuan tidak dapat dibaca: {error}",
    "Not marked booked: {reason}": "Tidak ditandai sudah dibukukan: {reason}",
    "Marking booked failed: {error}": "Penandaan pembukuan gagal: {error}",
    "{count} dosed amount(s) marked booked in Odoo.": "{count} jumlah takaran ditandai sudah dibukukan di Odoo.",
    # Silos
    "Silos — product in each silo and tank": "Silo — bahan di setiap silo dan tangki",
    "Internal reference": "Kode internal",
    "Tolerance kg": "Toleransi kg",
    "Tolerance %": "Toleransi %",
    "Blank = the default tolerance": "Kosong = toleransi bawaan",
    "Dosing tolerance: within when |actual − target| ≤ max(kg, % × target). Blank = the default ({kg} kg, "
    "{percent} %).":
        "Toleransi penimbangan: masuk bila |aktual − target| ≤ max(kg, % × target). Kosong = bawaan ({kg} kg, "
        "{percent} %).",
    "One product per silo, one silo per product. MOs with a component in no silo are left out of the sync.":
        "Satu bahan per silo, satu silo per bahan. MO dengan bahan yang tidak ada di silo mana pun tidak ikut "
        "sinkronisasi.",
    "Internal reference or name, e.g. RM-CORN or corn": "Kode internal atau nama, mis. RM-CORN atau jagung",
    "&Search Odoo": "&Cari di Odoo",
    "&Put in selected silo": "&Masukkan ke silo terpilih",
    "&Empty selected silo": "K&osongkan silo terpilih",
    "Searching Odoo products needs a stock Odoo protocol (ODOO_API=jsonrpc, json2 or auto)":
        "Mencari produk Odoo perlu protokol Odoo standar (ODOO_API=jsonrpc, json2 atau auto)",
    "&Import CSV…": "&Impor CSV…",
    "E&xport CSV…": "E&kspor CSV…",
    "&Save": "&Simpan",
    "The silo assignment could not be read: {error}": "Isi silo tidak dapat dibaca: {error}",
    "Not saved: {error}": "Tidak disimpan: {error}",
    "Saved by {actor}: {count} change(s)": "Disimpan oleh {actor}: {count} perubahan",
    "Saved: nothing changed": "Disimpan: tidak ada perubahan",
    "{silo}: tolerance '{value}' {unit} is not a number": "{silo}: toleransi '{value}' {unit} bukan angka",
    "{silo}: a tolerance cannot be negative": "{silo}: toleransi tidak boleh negatif",
    "Search failed: {error}": "Pencarian gagal: {error}",
    "{count} product(s) found": "{count} produk ditemukan",
    "No product with an internal reference matches": "Tidak ada produk berkode internal yang cocok",
    "{code} put in {silo} (not saved yet)": "{code} dimasukkan ke {silo} (belum disimpan)",
    "Not imported: {error}": "Tidak diimpor: {error}",
    "Not exported: {error}": "Tidak diekspor: {error}",
    "Imported (not saved yet)": "Diimpor (belum disimpan)",
    "Import silo assignment": "Impor isi silo",
    "Export silo assignment": "Ekspor isi silo",
    "CSV files (*.csv)": "Berkas CSV (*.csv)",
    "Exported to {path}": "Diekspor ke {path}",
    # hand-added checklist (manual weighing)
    "CONFIRMED": "CONFIRMED",
    "The batch was reported to Odoo; the checklist can no longer change":
        "Batch sudah dilaporkan ke Odoo; daftar periksa tidak dapat diubah lagi",
    "Weighed kg": "Ditimbang kg",
    "Hand-added components — all {count} confirmed": "Bahan tambahan manual — semua {count} sudah dikonfirmasi",
    "Hand-added components — {open} of {count} OPEN: weigh and confirm":
        "Bahan tambahan manual — {open} dari {count} OPEN: timbang lalu konfirmasi",
    "Odoo product id {id}": "ID produk Odoo {id}",
    "Weighed kg of {product}": "Kg ditimbang untuk {product}",
    "Accept target": "Sesuai target",
    "The scale shows the target, {kg} kg": "Timbangan menunjukkan target, {kg} kg",
    "weighed at the PLC scale, {time}": "ditimbang di timbangan PLC, {time}",
    "by {name}, {time}": "oleh {name}, {time}",
    "Correct": "Koreksi",
    "Confirm": "Konfirmasi",
    "⚠ NOT STORED: {reason}": "⚠ TIDAK TERSIMPAN: {reason}",
    "{product}: type the weighed kg, or press Accept target":
        "{product}: ketik kg hasil timbang, atau tekan Sesuai target",
    "Saving…": "Menyimpan…",
    # tolerance in the batch table and its tooltip
    "{percent}\nwithin": "{percent}\nmasuk",
    "{percent}\nOUTSIDE silo {silos}": "{percent}\nOUTSIDE silo {silos}",
    "Judged against the dosing tolerance once the PLC has finished the batch":
        "Dinilai terhadap toleransi penimbangan setelah PLC menyelesaikan batch",
    "silo {silo}: target {target} kg, actual {actual} kg, deviation {kg} kg ({percent}), allowed ±{allowed} kg":
        "silo {silo}: target {target} kg, aktual {actual} kg, deviasi {kg} kg ({percent}), batas ±{allowed} kg",
    "OVER": "LEBIH",
    "UNDER": "KURANG",
    # the batch's figures (hmi.domain): batch total like for like, open hand-added lines, worst silo
    "Batch total (silos + confirmed by hand): target {target} kg, actual {actual} kg, deviation {kg} kg ({percent})":
        "Total batch (silo + manual terkonfirmasi): target {target} kg, aktual {actual} kg, deviasi {kg} kg "
        "({percent})",
    "By hand still OPEN, not counted: {count} ({kg} kg)": "Manual masih OPEN, tidak dihitung: {count} ({kg} kg)",
    "Worst silo: {silo} {percent}": "Silo terjauh: {silo} {percent}",
    "Batch deviation": "Deviasi batch",
    "The silos' targets and the hand-added components confirmed; under it what is still OPEN by hand":
        "Target silo dan bahan manual yang sudah dikonfirmasi; di bawahnya yang masih OPEN manual",
    "Dosed by the silos and weighed by hand, over the same lines as the target":
        "Ditimbang silo dan manual, atas baris yang sama dengan target",
    "A finished batch: the batch total's deviation (actual − target over the silos and the confirmed hand-added "
    "components; OPEN ones not counted), and under it the verdict: within, or OUTSIDE naming the silos over or "
    "under |actual − target| ≤ max(kg, % × target)":
        "Batch selesai: deviasi total batch (aktual − target atas silo dan bahan manual terkonfirmasi; yang OPEN "
        "tidak dihitung), di bawahnya hasil uji: masuk, atau OUTSIDE dengan silo yang lebih atau kurang dari "
        "|aktual − target| ≤ max(kg, % × target)",
    "+{kg} OPEN": "+{kg} OPEN",
    "The whole MO (silos and every hand-added component): {kg} kg":
        "Seluruh MO (silo dan semua bahan manual): {kg} kg",
    "Batch deviation: <b>{percent}</b> (silos + confirmed by hand; OPEN not counted){worst}":
        "Deviasi batch: <b>{percent}</b> (silo + manual terkonfirmasi; OPEN tidak dihitung){worst}",
    "worst silo {silo} {percent}": "silo terjauh {silo} {percent}",
    "+{count} OPEN": "+{count} OPEN",
    # ages (seconds, minutes, hours, days)
    "{n} s": "{n} dtk",
    "{n} min": "{n} mnt",
    "{n} h": "{n} jam",
    "{n} d": "{n} hr",
}
