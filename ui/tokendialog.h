#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;
class TokenStore;

// "Set Token…": enter, replace or remove the bot token of the open profile. The token goes to
// the OS keychain through TokenStore; the field is masked unless the user asks to see it.
class TokenDialog : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokenDialog)

public:
    TokenDialog(TokenStore *store, QWidget *parent = nullptr);

private:
    void updateStatus();

    TokenStore *m_store;
    QLineEdit *m_token;
    QLabel *m_status;
    QPushButton *m_save;
    QPushButton *m_remove;
    bool m_closeWhenStored = false;
};
