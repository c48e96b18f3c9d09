#include "tokendialog.h"

#include "secrets/tokenstore.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

TokenDialog::TokenDialog(TokenStore *store, QWidget *parent)
    : QDialog(parent)
    , m_store(store)
    , m_token(new QLineEdit(this))
    , m_status(new QLabel(this))
{
    setObjectName(u"tokenDialog"_s);
    setWindowTitle(tr("Bot Token"));
    auto *intro
        = new QLabel(tr("The token is kept in your system keychain, one entry per profile file, "
                        "and given to each process in its environment only. It never appears in "
                        "the profile, the log file or the panes."),
                     this);
    intro->setWordWrap(true);

    m_token->setObjectName(u"tokenEdit"_s);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setMinimumWidth(fontMetrics().horizontalAdvance(u'x') * 72);
    auto *show = new QToolButton(this);
    show->setObjectName(u"showToken"_s);
    show->setText(tr("Show"));
    show->setCheckable(true);
    show->setToolTip(tr("Show or hide what you typed"));
    connect(show, &QToolButton::toggled, this, [this, show](bool visible) {
        m_token->setEchoMode(visible ? QLineEdit::Normal : QLineEdit::Password);
        show->setText(visible ? tr("Hide") : tr("Show"));
    });
    auto *row = new QHBoxLayout;
    row->addWidget(m_token, 1);
    row->addWidget(show);

    m_status->setObjectName(u"tokenStatus"_s);
    m_status->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(this);
    m_save = buttons->addButton(tr("Save to Keychain"), QDialogButtonBox::AcceptRole);
    m_save->setObjectName(u"saveToken"_s);
    m_remove = buttons->addButton(tr("Remove"), QDialogButtonBox::DestructiveRole);
    m_remove->setObjectName(u"removeToken"_s);
    buttons->addButton(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_save, &QPushButton::clicked, this, [this] {
        m_closeWhenStored = true;
        m_store->store(m_token->text());
    });
    connect(m_remove, &QPushButton::clicked, this, [this] { m_store->remove(); });
    connect(m_token, &QLineEdit::textChanged, this, &TokenDialog::updateStatus);
    connect(store, &TokenStore::statusChanged, this, [this](TokenStore::Status status) {
        updateStatus();
        if (status == TokenStore::Status::Stored && m_closeWhenStored) {
            m_token->clear();
            accept();
        } else if (status != TokenStore::Status::Loading) {
            m_closeWhenStored = false;
        }
    });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(row);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    updateStatus();
}

void TokenDialog::updateStatus()
{
    const TokenStore::Status status = m_store->status();
    QString text = tr("Token: %1").arg(TokenStore::statusText(status));
    if (!m_store->message().isEmpty())
        text += u"\n"_s + m_store->message();
    m_status->setText(text);
    // Said again on every change: after Remove no token is stored any more.
    m_token->setPlaceholderText(status == TokenStore::Status::Stored
                                    ? tr("A token is stored; type a new one to replace it")
                                    : tr("Paste the bot token from the Discord developer portal"));
    m_status->setStyleSheet(status == TokenStore::Status::Unavailable
                                    || status == TokenStore::Status::Error
                                    || status == TokenStore::Status::Cancelled
                                ? u"color: #d02b2b"_s
                                : QString());
    const bool busy = status == TokenStore::Status::Loading;
    const bool hasProfile = status != TokenStore::Status::Unknown;
    m_save->setEnabled(!busy && hasProfile && !m_token->text().trimmed().isEmpty());
    m_remove->setEnabled(!busy && status == TokenStore::Status::Stored);
    // The dialog grows with a long status (the keychain advice) instead of cutting it: a
    // word-wrapped label asks for its height only for a given width, which the dialog's
    // minimum size does not follow by itself.
    if (isVisible() && layout()) {
        layout()->activate();
        if (const int needed = layout()->totalHeightForWidth(width()); needed > height())
            resize(width(), needed);
    }
}
