"""The one service layer: timers, the admin API, the window and the tests all call these."""
