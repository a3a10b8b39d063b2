from datetime import datetime
from typing import Optional

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..codes import Code, Coded
from ..database import PublicIdMixin, UTCDateTime, utcnow
from ..encryption import encrypted_text
from ..extensions import db
from ..roles import ROLES


class User(PublicIdMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    display_name: Mapped[str] = mapped_column(String(120), nullable=False)
    unit: Mapped[Optional[str]] = mapped_column(String(120))
    # The holder's own work phone: it may stand in the messages they write (and nowhere else).
    work_phone: Mapped[Optional[str]] = mapped_column(String(40))
    password_hash: Mapped[Optional[str]] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    password_changed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    last_login_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    deactivated_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # Two-factor login (two_factor.py): the Base32 TOTP secret in use, one being set up and
    # not yet confirmed with a code, since when it is on, and the time step of the last code
    # accepted (a code is never accepted twice).
    totp_secret = encrypted_text("totp_secret")
    totp_pending_secret = encrypted_text("totp_pending_secret")
    totp_enabled_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[Optional[int]] = mapped_column(Integer)

    roles: Mapped[list["UserRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    # Flask-Login protocol ---------------------------------------------------
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        return str(self.uuid)

    # Roles -------------------------------------------------------------------
    @property
    def role_set(self) -> frozenset:
        return frozenset(r.role for r in self.roles)

    def has_role(self, role) -> bool:
        return role in self.role_set

    def set_roles(self, roles):
        wanted = set(roles)
        self.roles = [r for r in self.roles if r.role in wanted] + [
            UserRole(role=role) for role in sorted(wanted - self.role_set)
        ]

    def own_contact_details(self):
        """What this user may write about themselves in a message: work e-mail and phone."""
        return [value for value in (self.email, self.work_phone) if value]

    @property
    def has_password(self):
        return self.password_hash is not None

    def __repr__(self):
        return f"<User {self.id}>"


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(Code(ROLES, 20, check_name="known_role"), primary_key=True)
    user: Mapped[User] = relationship(back_populates="roles")


class AuthSession(db.Model):
    """A login. The cookie carries a random token; only its SHA-256 is stored."""

    __tablename__ = "auth_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    ended_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    end_reason: Mapped[Optional[str]] = mapped_column(String(32))
    remote_addr: Mapped[Optional[str]] = mapped_column(String(64))

    user: Mapped[User] = relationship()


class ActivationToken(db.Model):
    """A single-use link with which a person sets their password."""

    __tablename__ = "activation_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    used_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class RoleGrant(PublicIdMixin, Coded, db.Model):
    """A role asked for from the browser that needs a coordinator's approval (roles.APPROVAL_ROLES).
    Pending while ``decided_at`` is empty; the role is added only when approved."""

    __tablename__ = "role_grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False)
    role: Mapped[str] = mapped_column(Code(ROLES, 20), nullable=False)
    requested_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    decided_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, index=True)
    approved: Mapped[Optional[bool]] = mapped_column(Boolean)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    requested_by: Mapped[Optional[User]] = relationship(foreign_keys=[requested_by_id])


class RecoveryCode(db.Model):
    """A single-use recovery code for two-factor login: only its SHA-256 (the codes carry
    60 random bits, so a hash without salt cannot be reversed)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False)
    code_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    used_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
