"""Bahasa Indonesia for the main window, the batch table, sign-in, audit, history, the log and the
engineer's settings (source text -> translation)."""

WORDS = {
    # menus, actions, tabs
    "Trigger &sync": "&Sinkronkan",
    "&Clear table…": "&Kosongkan tabel…",
    "S&ettings…": "P&engaturan…",
    "S&ilos…": "S&ilo…",
    "&About": "&Tentang",
    "&Details…": "&Rincian…",
    "&Quit": "&Tutup aplikasi",
    "Batch table": "Tabel batch",
    "No batches in the table": "Tidak ada batch di tabel",
    "Trigger sync now": "Sinkronkan sekarang",
    "&Batches": "&Batch",
    "&History": "&Riwayat",
    "A&udit": "A&udit",
    "Sync &log": "&Log sinkronisasi",
    "Actions": "Aksi",
    "&File": "&Berkas",
    "&Actions": "&Aksi",
    "&View": "&Tampilan",
    "&Language": "&Bahasa",
    "&Help": "Ba&ntuan",
    # audit tab
    "Time": "Waktu",
    "Who": "Siapa",
    "What": "Apa",
    "MO": "MO",
    "who, e.g. Budi or api": "siapa, mis. Budi atau api",
    "what, e.g. Clear or signed in": "apa (kata log, bhs. Inggris), mis. Clear",
    "Day": "Tanggal",
    "Show": "Tampilkan",
    "◀ Newer": "◀ Lebih baru",
    "Older ▶": "Lebih lama ▶",
    "The audit trail cannot be read: {error}": "Jejak audit tidak dapat dibaca: {error}",
    "{first}–{last} of {total}": "{first}–{last} dari {total}",
    "No records match": "Tidak ada catatan yang cocok",
    # batch table
    "Completed by the PLC: protected from further PLC readings":
        "Selesai di PLC: terkunci, bacaan PLC berikutnya tidak mengubahnya",
    "Batch": "Batch",
    "Product": "Produk",
    "Target kg": "Target kg",
    "Actual kg": "Aktual kg",
    "Silos (actual / target)": "Silo (aktual / target)",
    "State": "Status",
    "Last PLC reading": "Bacaan PLC terakhir",
    "Each used silo (A..M) and tank (114 TETES, 115 FML): bar = actual dosed against target":
        "Setiap silo (A..M) dan tangki (114 TETES, 115 FML) yang dipakai: batang = aktual tertimbang "
        "terhadap target",
    "Time since the PLC last reported this batch": "Waktu sejak PLC terakhir melaporkan batch ini",
    "DOWNLOADING": "DIKIRIM",
    "HELD": "DITAHAN",
    "QUEUED": "ANTRE",
    "RUNNING": "BERJALAN",
    "DONE (locked)": "SELESAI (kunci)",
    "REPORTED": "DILAPORKAN",
    "FAILED": "GAGAL",
    "ATTENTION": "PERHATIAN",
    "Stored; being written to the PLC": "Tersimpan; sedang dikirim ke PLC",
    "The PLC could not confirm the download; it is not downloaded again until released":
        "PLC tidak dapat memastikan resep diterima; tidak dikirim lagi sampai dilepas",
    "Stored and written to the PLC; no reading yet": "Tersimpan dan terkirim ke PLC; belum ada bacaan",
    "The PLC reports dosing progress": "PLC melaporkan kemajuan penimbangan",
    "Actual consumption pushed to Odoo; about to move to history":
        "Pemakaian aktual sudah dikirim ke Odoo; segera pindah ke riwayat",
    "The PLC reported the batch as failed; it is cancelled in Odoo and moved to the history":
        "PLC melaporkan batch gagal; MO dibatalkan di Odoo dan dipindah ke riwayat",
    "Reporting to Odoo failed too often and is not retried automatically: open the details for the error and "
    "what to do":
        "Laporan ke Odoo terlalu sering gagal dan tidak dicoba ulang otomatis: buka rincian untuk galat dan "
        "langkah yang perlu diambil",
    "PLC STALE": "DATA PLC LAMA",
    "PLC OFFLINE": "PLC TERPUTUS",
    "NOT CURRENT": "TIDAK TERKINI",
    "{age} ago": "{age} lalu",
    # first engineer, sign-in
    "First start: create the engineer account": "Mulai pertama: buat akun engineer",
    "Name": "Nama",
    "PIN (at least 4 digits)": "PIN (minimal 4 angka)",
    "PIN again": "Ulangi PIN",
    "Create and sign in": "Buat dan masuk",
    "No engineer account exists yet. Create the first one: it can add operators and supervisors, change the "
    "settings and set up the connections. Until someone signs in, the window only shows the process.":
        "Belum ada akun engineer. Buat yang pertama: akun ini dapat menambah operator dan supervisor, mengubah "
        "pengaturan dan menyiapkan koneksi. Selama belum ada yang masuk, jendela hanya menampilkan proses.",
    "Enter a name.": "Isi nama.",
    "The two PINs differ.": "Kedua PIN tidak sama.",
    "Clear": "Hapus",
    "Delete the last digit": "Hapus angka terakhir",
    "Sign in": "Masuk",
    "PIN": "PIN",
    "Choose your name and enter your PIN.": "Pilih nama Anda dan masukkan PIN.",
    "Choose your name first.": "Pilih nama dulu.",
    "Enter your PIN on the keypad.": "Masukkan PIN dengan tombol angka.",
    "Cancel": "Batal",
    "Unknown name or account disabled": "Nama tidak dikenal atau akun nonaktif",
    "Account locked after {tries} wrong PINs: try again in {seconds} s":
        "Akun terkunci setelah {tries} kali PIN salah: coba lagi dalam {seconds} detik",
    "Wrong PIN. Account locked for {seconds} s after {tries} wrong PINs":
        "PIN salah. Akun terkunci {seconds} detik setelah {tries} kali PIN salah",
    "Wrong PIN: 1 more try before the account is locked for {seconds} s":
        "PIN salah: tinggal 1 kali coba sebelum akun terkunci {seconds} detik",
    "Wrong PIN: {left} more tries before the account is locked for {seconds} s":
        "PIN salah: tinggal {left} kali coba sebelum akun terkunci {seconds} detik",
    "{name} is {role}; a {needed} must approve": "{name} adalah {role}; persetujuan harus dari {needed}",
    "Checking…": "Memeriksa…",
    # main window: tooltips, status bar, banner, idle panel
    "Check the batch table now; fetch MOs from Odoo if it is empty (F5)":
        "Periksa tabel batch sekarang; ambil MO dari Odoo bila tabel kosong (F5)",
    "A sync is running": "Sinkronisasi sedang berjalan",
    "The table is being cleared": "Tabel sedang dikosongkan",
    "Move every batch to the history as CLEARED and empty the table; the MOs are held until released (asks first)":
        "Pindahkan semua batch ke riwayat sebagai DIKOSONGKAN dan kosongkan tabel; MO ditahan sampai dilepas "
        "(bertanya dulu)",
    "Nothing to clear": "Tidak ada yang perlu dikosongkan",
    "A sync is running; clear when it has finished": "Sinkronisasi sedang berjalan; kosongkan setelah selesai",
    "Every silo of the selected batch: component, target, actual, progress or deviation":
        "Semua silo dari batch terpilih: bahan, target, aktual, kemajuan atau selisih",
    "Select a batch first (tap a row)": "Pilih batch dulu (sentuh satu baris)",
    "Sync skipped: {batches} still in the table; new MOs are fetched once the table is empty":
        "Sinkronisasi dilewati: masih ada {batches} di tabel; MO baru diambil setelah tabel kosong",
    "batch": "batch",
    "batches": "batch",
    "MOs": "MO",
    "Sync fetched {mos} from Odoo and wrote them to the PLC":
        "Sinkronisasi mengambil {mos} dari Odoo dan mengirimnya ke PLC",
    "Sync done: {message}": "Sinkronisasi selesai: {message}",
    "Sync failed: {reason}": "Sinkronisasi gagal: {reason}",
    "Sync not started: {reason}": "Sinkronisasi tidak dimulai: {reason}",
    "Sync running…": "Sinkronisasi berjalan…",
    "Trigger sync: ": "Sinkronkan: ",
    "Clear cancelled: the table was not changed": "Pengosongan dibatalkan: tabel tidak berubah",
    "Clearing the table…": "Mengosongkan tabel…",
    "Clear of the batch table": "Pengosongan tabel batch",
    "Approval needed": "Perlu persetujuan",
    "Approve": "Setujui",
    "{what} needs a {role}. A {role} chooses their name and enters their PIN to approve it.":
        "{what} memerlukan persetujuan {role}. {role} memilih namanya dan memasukkan PIN untuk menyetujui.",
    "Clear not started: a clear is already running": "Pengosongan tidak dimulai: pengosongan lain sedang berjalan",
    "Clear failed: {error}": "Pengosongan gagal: {error}",
    "; {mos} held until released": "; {mos} ditahan sampai dilepas",
    "; {batches} stay until reported to Odoo": "; {batches} tetap sampai dilaporkan ke Odoo",
    "Clear not done: the batch table changed while you were asked; nothing was cleared. Look at the table and "
    "clear again":
        "Pengosongan tidak dilakukan: tabel batch berubah saat Anda ditanya; tidak ada yang dikosongkan. Lihat "
        "tabelnya dan kosongkan lagi",
    "Cleared by {actor}: {batches} moved to the history": "Dikosongkan oleh {actor}: {batches} dipindah ke riwayat",
    "&Pause auto-sync": "&Jeda otomatis",
    "&Resume auto-sync": "&Lanjut otomatis",
    "Stop the sync timer (manual Trigger sync still works) (F6)":
        "Hentikan pewaktu sinkronisasi (Sinkronkan manual tetap bisa) (F6)",
    "Start the sync timer again (F6)": "Jalankan lagi pewaktu sinkronisasi (F6)",
    "About Batch HMI": "Tentang Batch HMI",
    "sync running…": "sinkronisasi berjalan…",
    "auto-sync paused": "sinkron otomatis dijeda",
    "next sync in {time}": "sinkron berikut {time} lagi",
    "auto-sync waiting": "sinkron otomatis menunggu",
    "last reading {age} ago": "bacaan terakhir {age} lalu",
    "no reading since start-up": "belum ada bacaan sejak aplikasi mulai",
    ", link {state}": ", koneksi {state}",
    "DATABASE FAULT": "GANGGUAN DATABASE",
    "SYNC ALERT": "PERINGATAN SINKRON",
    "{word}: PLC at {endpoint}, {since}{link}. Batch states and values below are the last ones read, NOT CURRENT. "
    "Check the PLC and its network; the link reconnects by itself.":
        "{word}: PLC di {endpoint}, {since}{link}. Status batch dan nilai di bawah adalah bacaan terakhir, TIDAK "
        "TERKINI. Periksa PLC dan jaringannya; koneksi tersambung kembali dengan sendirinya.",
    "{word}: the batch table cannot be read; the table below is not current. Check the database server (details "
    "in the DB badge).":
        "{word}: tabel batch tidak dapat dibaca; tabel di bawah tidak terkini. Periksa server database (rincian "
        "di lencana DB).",
    "{word}: {alert}. {next}": "{word}: {alert}. {next}",
    "batch {batch} (MO {mo})": "batch {batch} (MO {mo})",
    " and {n} more": " dan {n} lainnya",
    "ATTENTION: Odoo did not take the report of {which}. It is not retried automatically: select the row and "
    "press Details for Odoo's answer.":
        "PERHATIAN: Odoo tidak menerima laporan {which}. Tidak dicoba ulang otomatis: pilih barisnya dan tekan "
        "Rincian untuk melihat jawaban Odoo.",
    "A sync is running: asking Odoo for the next MOs.": "Sinkronisasi berjalan: meminta MO berikutnya dari Odoo.",
    "Waiting for the PLC: it is OFFLINE, so no recipes can be written to it. The next sync fetches MOs once the "
    "PLC answers again.":
        "Menunggu PLC: PLC TERPUTUS, jadi resep tidak dapat dikirim. Sinkronisasi berikut mengambil MO setelah "
        "PLC menjawab lagi.",
    "Odoo unreachable: the last request failed. {when} The Odoo badge's tooltip has the error.":
        "Odoo tidak terjangkau: permintaan terakhir gagal. {when} Keterangan lencana Odoo memuat galatnya.",
    "Auto-sync is paused: press Trigger sync to fetch the next MOs from Odoo, or Resume auto-sync.":
        "Sinkron otomatis dijeda: tekan Sinkronkan untuk mengambil MO berikutnya dari Odoo, atau Lanjut "
        "otomatis.",
    " Odoo had no MOs ready for this line at the last sync.":
        " Pada sinkronisasi terakhir Odoo tidak punya MO siap untuk lini ini.",
    "Waiting for the next sync.": "Menunggu sinkronisasi berikutnya.",
    "Auto-sync is paused; Trigger sync tries now.": "Sinkron otomatis dijeda; Sinkronkan mencoba sekarang.",
    "Trigger sync tries now.": "Sinkronkan mencoba sekarang.",
    "Next sync in {time}; Trigger sync tries now.": "Sinkron berikut {time} lagi; Sinkronkan mencoba sekarang.",
    "&Held MOs ({count})": "MO &Ditahan ({count})",
    "&Held MOs": "MO &Ditahan",
    "MOs that reached the PLC and left the table unfinished; release them here":
        "MO yang sudah sampai ke PLC lalu keluar dari tabel sebelum selesai; lepaskan di sini",
    "Connections, sync and line settings; test each connection (Ctrl+,)":
        "Pengaturan koneksi, sinkronisasi dan lini; uji setiap koneksi (Ctrl+,)",
    "Which product is in which silo and tank (stock Odoo)":
        "Bahan mana di silo dan tangki mana (Odoo standar)",
    "a {role} approves with their PIN": "{role} menyetujui dengan PIN-nya",
    "Operator": "Operator",
    "Supervisor": "Supervisor",
    "Engineer": "Engineer",
    "Needs {role}: sign in first (view only)": "Perlu {role}: masuk dulu (hanya lihat)",
    "Needs {role}; signed in: {name} ({current})": "Perlu {role}; yang masuk: {name} ({current})",
    "Not signed in — view only": "Hanya lihat",
    "Sign in with your name and PIN to operate": "Masuk dengan nama dan PIN untuk mengoperasikan",
    "Sign out": "Keluar",
    "Sign out {name}; the window stays on, view only": "Keluarkan {name}; jendela tetap menyala, hanya lihat",
    # history tab (notes and names from the database stay as stored)
    "Archived": "Diarsipkan",
    "Status": "Status",
    "By": "Oleh",
    "Notes": "Catatan",
    "part of an MO, e.g. MO/0012": "bagian nomor MO, mis. MO/0012",
    "All statuses": "Semua status",
    "&Status:": "&Status:",
    "Shows entries whose MO contains this text; Enter applies it":
        "Menampilkan entri yang nomor MO-nya memuat teks ini; Enter untuk menerapkan",
    "&MO:": "&MO:",
    "&Previous": "Se&belumnya",
    "&Next": "Se&lanjutnya",
    "&Refresh": "&Muat ulang",
    "Loading…": "Memuat…",
    "History unavailable: the database cannot be read": "Riwayat tidak tersedia: database tidak dapat dibaca",
    "entry": "entri",
    "entries": "entri",
    "Page {page} of {pages} · {total} {entries}": "Halaman {page} dari {pages} · {total} {entries}",
    "This is the first page": "Ini halaman pertama",
    "This is the last page": "Ini halaman terakhir",
    # sync log panel (the lines stay English)
    "Sync log": "Log sinkronisasi",
    "Debug": "Debug",
    "Info": "Info",
    "Warning": "Peringatan",
    "Error": "Galat",
    "Show records at this level and above": "Tampilkan catatan tingkat ini ke atas",
    "&Level:": "&Tingkat:",
    "C&opy log": "&Salin log",
    "Copy the shown log lines (or the selection) to the clipboard":
        "Salin baris log yang tampil (atau yang dipilih) ke papan klip",
    # settings dialog
    "Settings": "Pengaturan",
    "Connections": "Koneksi",
    "Operators": "Operator",
    "Admin API token": "Token API admin",
    "Save": "Simpan",
    "All settings in effect…": "Semua pengaturan yang berlaku…",
    "Close": "Tutup",
    "Server URL": "URL server",
    "Database": "Database",
    "User": "Pengguna",
    "Password": "Kata sandi",
    "API key": "Kunci API",
    "Protocol": "Protokol",
    "Address": "Alamat",
    "Port": "Port",
    "Unit id": "ID unit",
    "Poll interval (s)": "Interval baca (detik)",
    "Sync interval (min)": "Interval sinkron (menit)",
    "MOs per sync": "MO per sinkron",
    "Automatic sync": "Sinkron otomatis",
    "Line code": "Kode lini",
    "Odoo": "Odoo",
    "PLC": "PLC",
    "Sync": "Sinkronisasi",
    "Line": "Lini",
    "Read-only: set by the environment variable {env}, which wins over settings.ini and .env; change it there":
        "Hanya baca: diatur oleh variabel lingkungan {env}, yang mengalahkan settings.ini dan .env; ubah di sana",
    "Test": "Uji",
    "Sync interval, MOs per sync, automatic sync and the poll interval apply at once; Odoo, PLC address and line "
    "code apply after a restart.":
        "Interval sinkron, MO per sinkron, sinkron otomatis dan interval baca langsung berlaku; Odoo, alamat PLC "
        "dan kode lini berlaku setelah aplikasi dijalankan ulang.",
    "on": "aktif",
    "unchanged (set)": "tidak diubah (sudah diisi)",
    "not set": "belum diisi",
    "Testing…": "Menguji…",
    "Nothing changed.": "Tidak ada perubahan.",
    "Not saved: {error}": "Tidak disimpan: {error}",
    "Saved.": "Tersimpan.",
    "Applied now: {keys}.": "Berlaku sekarang: {keys}.",
    "Needs a restart: {keys}.": "Perlu dijalankan ulang: {keys}.",
    "Add account": "Tambah akun",
    "Disable / enable the selected account": "Nonaktifkan / aktifkan akun terpilih",
    "Role": "Peran",
    "active": "aktif",
    "disabled": "nonaktif",
    "Account {name} created.": "Akun {name} dibuat.",
    "You cannot disable your own account.": "Anda tidak dapat menonaktifkan akun sendiri.",
    "Regenerate": "Buat ulang",
    "Generated; kept in {path} (readable only by this OS user).":
        "Dibuat otomatis; disimpan di {path} (hanya dapat dibaca pengguna OS ini).",
    "Set by API_TOKEN; change it where it is set.": "Diatur oleh API_TOKEN; ubah di tempat ia diatur.",
    "The engineer's token for the admin API (header Authorization: Bearer <token>). ":
        "Token engineer untuk API admin (header Authorization: Bearer <token>). ",
    "New token in effect; the old one no longer works.": "Token baru berlaku; token lama tidak berfungsi lagi.",
    # batch table: hand-added components and the dosing tolerance (OPEN / OUTSIDE stay as the cells show them)
    "By hand": "Manual",
    "Deviation": "Deviasi",
    "Components added by hand (no silo): how many are still OPEN (not confirmed)":
        "Bahan yang ditambahkan manual (tanpa silo): berapa yang masih OPEN (belum dikonfirmasi)",
    "A finished batch against the dosing tolerance: the largest deviation, OUTSIDE when a silo is outside "
    "|actual − target| ≤ max(kg, % × target)":
        "Batch selesai dibandingkan toleransi penimbangan: deviasi terbesar, OUTSIDE bila ada silo di luar "
        "|aktual − target| ≤ max(kg, % × target)",
    # tabs added by the plant's options, per-batch actions, the demo title
    "Rep&orts": "Lap&oran",
    "Double-click a row for the batch ticket and its dosing curve":
        "Klik dua kali satu baris untuk tiket batch dan kurva penimbangannya",
    "Batch HMI — demo (simulated PLC and Odoo)": "Batch HMI — demo (PLC dan Odoo simulasi)",
    "could not be stored: {reason}": "tidak dapat disimpan: {reason}",
    "{product}: {kg} kg confirmed by {actor}": "{product}: {kg} kg dikonfirmasi oleh {actor}",
    "Action on MO {mo} failed: {reason}": "Aksi pada MO {mo} gagal: {reason}",
    "MO {mo}: done": "MO {mo}: selesai",
    # banner lines
    "CRITICAL": "KRITIS",
    "HIGH": "TINGGI",
    "HELD: the PLC has not confirmed the download of {batches} (MO {mos}); they are not downloaded again. The PLC "
    "is asked at every sync; if it was reset, Clear and release.":
        "DITAHAN: PLC belum memastikan {batches} sudah diterima (MO {mos}); tidak dikirim lagi. PLC ditanya "
        "di setiap sinkron; bila PLC sudah direset, Kosongkan dan lepas.",
    "; {count} unacknowledged": "; {count} belum dikonfirmasi",
    "EQUIPMENT FAILURE: {code} - {info} (PLC time {time}){more}; acknowledge it in the Equipment failures tab":
        "KERUSAKAN ALAT: {code} - {info} (waktu PLC {time}){more}; konfirmasi di tab Kerusakan alat",
    "FINS node": "Node FINS",
}
