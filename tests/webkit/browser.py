#!/usr/bin/python3
"""The browser the WebKit tests steer: WebKitGTK (the engine of Safari,
Debian's libwebkit2gtk-4.1) in a window, started by WebKitWebDriver.

Why not MiniBrowser: in automation mode MiniBrowser always uses an
ephemeral (in-memory) website data manager, as in private browsing, and
nothing is kept on disk. An iPad's Safari keeps IndexedDB on disk (SQLite),
a different code path, so this shell does what MiniBrowser does without
--automation: a website data store in a directory, which outlives the
browser, so a test can close it and reopen the console from the disk.

Options (WebKitWebDriver passes them from webkitgtk:browserOptions.args):
  --automation               accepted, as MiniBrowser takes it
  --data-dir=DIR             keep website data in DIR (else in memory)
  --lang=zh-CN               the languages the page sees (navigator.language)
  --origin-storage-ratio=R   each origin's quota, a share of the disk
"""
import os
import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("WebKit2", "4.1")
from gi.repository import Gtk, WebKit2  # noqa: E402

options = dict(a[2:].split("=", 1) for a in sys.argv[1:] if a.startswith("--") and "=" in a)
data = options.get("data-dir")
if data:
    props = {"base_data_directory": data, "base_cache_directory": os.path.join(data, "cache")}
    if "origin-storage-ratio" in options:
        props["origin_storage_ratio"] = float(options["origin-storage-ratio"])
    manager = WebKit2.WebsiteDataManager(**props)
else:
    manager = WebKit2.WebsiteDataManager.new_ephemeral()
context = WebKit2.WebContext(website_data_manager=manager)
if "lang" in options:
    context.set_preferred_languages([options["lang"]])
context.set_automation_allowed(True)


def create_web_view(session):
    view = WebKit2.WebView(web_context=context, is_controlled_by_automation=True)
    window = Gtk.Window()
    window.set_default_size(1024, 768)
    window.add(view)
    window.show_all()
    view.connect("close", lambda v: window.destroy())
    return view


def automation_started(context, session):
    info = WebKit2.ApplicationInfo()
    info.set_version(WebKit2.get_major_version(), WebKit2.get_minor_version(), WebKit2.get_micro_version())
    session.set_application_info(info)
    session.connect("create-web-view", create_web_view)


context.connect("automation-started", automation_started)
Gtk.main()
